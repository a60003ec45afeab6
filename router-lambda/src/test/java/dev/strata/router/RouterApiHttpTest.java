package dev.strata.router;

/** The API contract over HTTP (the Netty server the local emulation runs). */
class RouterApiHttpTest extends RouterApiContract {
    @Override
    protected Api api() {
        return fixture.http();
    }
}
