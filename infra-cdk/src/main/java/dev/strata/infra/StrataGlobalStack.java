package dev.strata.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/** In the home region: the catalog global table, replicated to every other configured region. */
public final class StrataGlobalStack extends Stack {

    /**
     * @param stack          environment (account, home region) and tags
     * @param homeKey        the home region's catalog key
     * @param replicaRegions every configured region except the home region
     */
    public record Props(StackProps stack, IKey homeKey, List<String> replicaRegions) {}

    private final CatalogTable catalog;

    public StrataGlobalStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        this.catalog = new CatalogTable(this, "Catalog", new CatalogTable.Props(props.homeKey(), props.replicaRegions()));
        CfnOutput.Builder.create(this, "CatalogTableName").value(catalog.table().getTableName()).build();
        CfnOutput.Builder.create(this, "CatalogStreamArn").value(catalog.table().getTableStreamArn()).build();
    }

    public TableV2 table() {
        return catalog.table();
    }
}
