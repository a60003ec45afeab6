package dev.strata.router.document;

import dev.strata.api.Document;

import java.util.List;

/** Body of {@code POST /v1/collections/{c}/documents}. */
public record DocumentsRequest(List<Document> documents) {}
