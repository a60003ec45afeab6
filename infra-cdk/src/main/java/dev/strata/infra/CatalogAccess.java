package dev.strata.infra;

import java.util.List;
import software.amazon.awscdk.services.dynamodb.ITableV2;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

/**
 * This region's catalog replica as the region stack sees it: the table by its fixed name and the key that
 * encrypts it. Every reader/writer of the catalog gets exactly the same item-level actions through here.
 *
 * @param table the replica in this region
 * @param key   this region's catalog key
 */
public record CatalogAccess(ITableV2 table, IKey key) {
    /** Item reads, queries, writes and condition checks (commits are TransactWriteItems of puts, updates, checks). */
    static final List<String> ITEM_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");

    public String tableName() {
        return table.getTableName();
    }

    /** Lets {@code principal} read and write items of the table and its index, and use its key for that. */
    public void grantReadWrite(IPrincipal principal) {
        String arn = table.getTableArn();
        principal.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(ITEM_ACTIONS)
                .resources(List.of(arn, arn + "/index/*"))
                .build());
        principal.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"))
                .resources(List.of(key.getKeyArn()))
                .build());
    }
}
