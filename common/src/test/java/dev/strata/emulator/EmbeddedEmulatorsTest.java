package dev.strata.emulator;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedEmulatorsTest {

    @Test
    void dynamoDbLocalServesConditionalTransactionsOverHttp() {
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start()) {
            // GIVEN a table on the embedded DynamoDB Local
            DynamoDbClient client = dynamo.client();
            client.createTable(b -> b.tableName("things")
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            TransactWriteItem putOnce = TransactWriteItem.builder().put(Put.builder().tableName("things")
                    .item(Map.of("pk", AttributeValue.fromS("a")))
                    .conditionExpression("attribute_not_exists(pk)").build()).build();
            // WHEN the same conditional transaction runs twice
            client.transactWriteItems(b -> b.transactItems(putOnce));
            // THEN the second is cancelled by its condition
            assertThatThrownBy(() -> client.transactWriteItems(b -> b.transactItems(putOnce)))
                    .isInstanceOf(TransactionCanceledException.class);
            assertThat(client.getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("a"))))
                    .hasItem()).isTrue();
        }
    }

    @Test
    void s3ProxyStoresObjectsInItsDirectory() throws Exception {
        Path dir = Files.createTempDirectory("s3-test");
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0)) {
            // GIVEN a bucket
            s3.createBucket("strata-test");
            S3Client client = s3.client();
            // WHEN an object is put
            client.putObject(b -> b.bucket("strata-test").key("ingest/t/c/x.jsonl"),
                    RequestBody.fromString("{\"id\":\"1\"}", StandardCharsets.UTF_8));
            // THEN it reads back and lists under its prefix
            assertThat(client.getObjectAsBytes(b -> b.bucket("strata-test").key("ingest/t/c/x.jsonl")).asUtf8String())
                    .isEqualTo("{\"id\":\"1\"}");
            assertThat(client.listObjectsV2(b -> b.bucket("strata-test").prefix("ingest/")).contents())
                    .hasSize(1);
        }
    }
}
