package dev.strata.router;

/**
 * One way to call the router: through the Lambda handler with API Gateway v2 events ({@link LambdaApi}) or over
 * HTTP to the Netty server ({@link HttpApi}). Tests of the public API run through both.
 */
interface Api {

    /** Sends {@code method path} with {@code Authorization: Bearer key} (none when key is null) and a JSON body. */
    Reply call(String method, String path, String key, String body);

    default Reply get(String path, String key) {
        return call("GET", path, key, null);
    }

    default Reply post(String path, String key, String body) {
        return call("POST", path, key, body);
    }

    default Reply put(String path, String key, String body) {
        return call("PUT", path, key, body);
    }

    default Reply delete(String path, String key) {
        return call("DELETE", path, key, null);
    }
}
