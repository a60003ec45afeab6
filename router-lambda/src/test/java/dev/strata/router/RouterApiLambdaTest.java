package dev.strata.router;

/** The API contract through the Lambda handler (API Gateway HTTP API v2 events). */
class RouterApiLambdaTest extends RouterApiContract {
    @Override
    protected Api api() {
        return fixture.lambda();
    }
}
