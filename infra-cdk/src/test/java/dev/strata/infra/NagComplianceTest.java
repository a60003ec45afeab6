package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.cloudassembly.schema.ArtifactMetadataEntryType;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

class NagComplianceTest {

    @Test
    void everyStackPassesAwsSolutionsWithoutUnsuppressedFindings() {
        // GIVEN the two-region app with cdk-nag's AwsSolutions pack applied by StrataApp.wire
        var assembly = SynthesizedStrata.TWO_REGIONS.assembly;

        // WHEN collecting the warnings and errors every stack carries after synthesis
        List<String> findings = assembly.getStacks().stream()
                .flatMap(stack -> stack.getMessages().stream()
                        .filter(m -> m.getLevel().name().equals("ERROR") || m.getLevel().name().equals("WARNING"))
                        .map(m -> stack.getStackName() + " " + m.getId() + ": " + m.getEntry().getData()))
                .collect(Collectors.toList());

        // THEN there is none
        assertThat(findings).isEmpty();
    }
}
