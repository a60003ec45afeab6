package dev.strata.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalOptionsTest {

    @Test
    void defaultsAreThreeNodesOnPort8080WithTheDemoAndTheDefaultKey() {
        LocalOptions o = LocalOptions.parse(List.of(), null);
        assertThat(o).isEqualTo(new LocalOptions(Path.of(".strata-local"), 3, 8080, true, "strata-local-key"));
    }

    @Test
    void flagsAndTheEnvironmentKeyAreTaken() {
        LocalOptions o = LocalOptions.parse(List.of("--data-dir", "/tmp/x", "--nodes", "5", "--port", "0",
                "--no-demo"), "my-own-key-123");
        assertThat(o).isEqualTo(new LocalOptions(Path.of("/tmp/x"), 5, 0, false, "my-own-key-123"));
    }

    @Test
    void badValuesAreRefusedNamingTheFlagAndTheLimit() {
        assertThatThrownBy(() -> LocalOptions.parse(List.of("--nodes", "0"), null))
                .hasMessage("--nodes is 0; it must be between 1 and 16");
        assertThatThrownBy(() -> LocalOptions.parse(List.of("--port", "70000"), null))
                .hasMessage("--port is 70000; it must be between 0 and 65535");
        assertThatThrownBy(() -> LocalOptions.parse(List.of("--nodes", "three"), null))
                .hasMessage("--nodes is 'three'; it must be a whole number");
        assertThatThrownBy(() -> LocalOptions.parse(List.of("--data-dir"), null))
                .hasMessage("--data-dir needs a value");
        assertThatThrownBy(() -> LocalOptions.parse(List.of("--verbose"), null))
                .hasMessageStartingWith("unknown option '--verbose'");
        assertThatThrownBy(() -> LocalOptions.parse(List.of(), "short"))
                .hasMessage("STRATA_LOCAL_API_KEY must be at least 8 characters");
    }

    @Test
    void ingestKeysFollowTheIngestLayout() {
        assertThat(ClientCommands.ingestKey("local", "docs", "my file.jsonl.gz", 42))
                .isEqualTo("ingest/local/docs/my_file-42.jsonl.gz");
        assertThat(ClientCommands.ingestKey("local", "docs", "a.jsonl", 7)).isEqualTo("ingest/local/docs/a-7.jsonl");
    }
}
