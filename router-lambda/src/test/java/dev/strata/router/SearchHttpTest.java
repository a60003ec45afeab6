package dev.strata.router;

/** Search over HTTP. */
class SearchHttpTest extends SearchContract {
    @Override
    protected Api api() {
        return fixture.http();
    }
}
