package dev.strata.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * Per region, deployed first: the key of the region's catalog replica ({@link DataKey#CATALOG_ALIAS}). It is its
 * own stack because the global table (home region) names every replica's key, so all of them must exist before it.
 */
public final class StrataKeyStack extends Stack {
    private final DataKey catalogKey;

    public StrataKeyStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        this.catalogKey = new DataKey(this, "CatalogKey", DataKey.CATALOG_ALIAS,
                "Strata catalog table replica in this region", false);
    }

    public IKey catalogKey() {
        return catalogKey.key();
    }
}
