package dev.strata.router.document;

import java.util.List;

/** Body of {@code POST /v1/collections/{c}/documents/delete}. */
public record DeleteRequest(List<String> ids) {}
