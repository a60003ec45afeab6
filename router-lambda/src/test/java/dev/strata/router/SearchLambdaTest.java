package dev.strata.router;

/** Search through the Lambda handler. */
class SearchLambdaTest extends SearchContract {
    @Override
    protected Api api() {
        return fixture.lambda();
    }
}
