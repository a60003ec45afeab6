package dev.strata.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.interfaces.s3.IBucketRef;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationConfig;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationType;
import software.amazon.awscdk.services.s3.IBucketNotificationDestination;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Ingest (DESIGN §1 step 2): an object created under {@code ingest/} notifies an encrypted SQS queue, whose
 * messages invoke the ingest Lambda; a message that fails five times moves to the dead-letter queue. The function
 * may read {@code ingest/}, write {@code segments/} and {@code rejects/}, read and write the catalog, and invoke
 * only the Titan embedding model.
 */
public final class IngestPipeline extends Construct {
    public static final String HANDLER = "dev.strata.ingest.IngestHandler::handleRequest";
    /** Amazon Titan Text Embeddings v2, the model documents without a vector are embedded with (DESIGN §8). */
    public static final String EMBEDDING_MODEL_ID = "amazon.titan-embed-text-v2:0";
    static final Duration FUNCTION_TIMEOUT = Duration.minutes(5);
    static final int MAX_RECEIVES = 5;

    /**
     * @param jar        the ingest Lambda's shaded jar
     * @param segments   the region's segment bucket
     * @param catalog    the catalog replica of this region
     * @param key        the region's data key (bucket, queues)
     * @param homeRegion the catalog's home region
     */
    public record Props(Path jar, SegmentBucket segments, CatalogAccess catalog, IKey key, String homeRegion) {}

    private final Queue queue;
    private final Queue deadLetters;
    private final SnapStartFunction function;

    public IngestPipeline(Construct scope, String id, Props props) {
        super(scope, id);
        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.key())
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.key())
                .dataKeyReuse(Duration.hours(1))
                .enforceSsl(true)
                // AWS guidance for Lambda consumers: at least six times the function timeout.
                .visibilityTimeout(FUNCTION_TIMEOUT.plus(Duration.minutes(25)))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVES).build())
                .build();
        props.segments().bucket().addEventNotification(EventType.OBJECT_CREATED,
                new QueueDestination(queue, allowBucketToSend(props)),
                NotificationKeyFilter.builder().prefix(SegmentBucket.INGEST_PREFIX).build());

        String bucketName = props.segments().bucket().getBucketName();
        this.function = new SnapStartFunction(this, "Handler", new SnapStartFunction.Props(
                props.jar(), HANDLER, 2048, FUNCTION_TIMEOUT,
                // the names IngestRuntime reads once at init
                Map.of("STRATA_TABLE", props.catalog().tableName(),
                        "STRATA_BUCKET", bucketName,
                        "STRATA_HOME_REGION", props.homeRegion(),
                        "STRATA_EMBEDDING_MODEL_ID", EMBEDDING_MODEL_ID,
                        "JAVA_TOOL_OPTIONS", "--add-modules=jdk.incubator.vector"),
                null));
        grantLeastPrivilege(props);
        function.live().addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(1)
                .reportBatchItemFailures(true)
                .build());
    }

    /**
     * Lets S3 send this bucket's events to the queue. Written here rather than by CDK's {@code SqsDestination},
     * which would also put the bucket's ARN into the key policy: the bucket is encrypted with that key, so the
     * two would depend on each other. The data key's policy already admits S3 for the encrypted queue.
     */
    private PolicyStatement allowBucketToSend(Props props) {
        return PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", props.segments().bucket().getBucketArn()),
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                .build();
    }

    /** An S3 notification destination that is this queue, once its policy admits the bucket. */
    private static final class QueueDestination implements IBucketNotificationDestination {
        private final Queue queue;
        private final PolicyStatement statement;

        QueueDestination(Queue queue, PolicyStatement statement) {
            this.queue = queue;
            this.statement = statement;
        }

        @Override
        public BucketNotificationDestinationConfig bind(Construct scope, IBucketRef bucket) {
            var policy = queue.addToResourcePolicy(statement);
            return BucketNotificationDestinationConfig.builder()
                    .arn(queue.getQueueArn())
                    .type(BucketNotificationDestinationType.QUEUE)
                    .dependencies(List.of(policy.getPolicyDependable()))
                    .build();
        }
    }

    private void grantLeastPrivilege(Props props) {
        var bucket = props.segments().bucket();
        var role = function.role();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(bucket.arnForObjects(SegmentBucket.INGEST_PREFIX + "*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject"))
                .resources(List.of(bucket.arnForObjects(SegmentBucket.SEGMENTS_PREFIX + "*"),
                        bucket.arnForObjects(SegmentBucket.REJECTS_PREFIX + "*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(props.key().getKeyArn()))
                .build());
        props.catalog().grantReadWrite(role);
        Nag.suppressOnly(role, "IAM5", "object access is limited to one key prefix each (read ingest/, write"
                + " segments/ and rejects/); object keys are generated per batch, so they cannot be listed in advance",
                Nag.objectsUnder(SegmentBucket.INGEST_PREFIX), Nag.objectsUnder(SegmentBucket.SEGMENTS_PREFIX),
                Nag.objectsUnder(SegmentBucket.REJECTS_PREFIX));
        Nag.suppressOnly(role, "IAM5", "the catalog has one index (gsi1); index/* names the indexes of that one"
                + " table only", Nag.CATALOG_INDEXES);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("bedrock:InvokeModel"))
                .resources(List.of(titanModelArn(this)))
                .build());
    }

    /** ARN of the Titan embedding foundation model in the current region. */
    static String titanModelArn(Construct scope) {
        Stack stack = Stack.of(scope);
        return "arn:" + stack.getPartition() + ":bedrock:" + stack.getRegion() + "::foundation-model/"
                + EMBEDDING_MODEL_ID;
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }

    public SnapStartFunction function() {
        return function;
    }
}
