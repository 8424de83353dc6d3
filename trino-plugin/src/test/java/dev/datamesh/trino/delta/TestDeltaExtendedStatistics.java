package dev.datamesh.trino.delta;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.delta.DeltaExtendedStatistics.ColumnSketch;
import dev.datamesh.trino.delta.DeltaExtendedStatistics.TableSketches;
import dev.datamesh.trino.delta.TrinoExtendedStatisticsFile.Column;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.LongStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the extended statistics file Trino's Delta Lake connector writes on ANALYZE.
 */
final class TestDeltaExtendedStatistics
{
    // airlift HyperLogLog sketches (approx_set's 4096 buckets) of {'web', 'mobile'} and of the bigints 1 to 5
    private static final String CHANNELS = "AgwCAMPJJhUB8Rxs";
    private static final String ONE_TO_FIVE = "AgwFAIADRADAxdQPAFg9WwHSGbSAIAje";
    // the JSON as Trino 476's ExtendedStatistics serializes it (model version 4): the size is
    // recorded for columns of variable width only, the analyzed columns when ANALYZE named them
    private static final String TRINO_WRITTEN = """
            {"modelVersion":4,"alreadyAnalyzedModifiedTimeMax":"2025-06-14T00:22:45.832Z",\
            "columnStatistics":{"channel":{"totalSizeInBytes":34,"ndvSummary":"AgwCAMPJJhUB8Rxs"},"basket_size":{"ndvSummary":"AgwFAIADRADAxdQPAFg9WwHSGbSAIAje"}},\
            "analyzedColumns":["channel","basket_size"]}""";

    private final TrinoFileSystem fileSystem = new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test"));

    @Test
    void testTheSketchesAreAirliftHyperLogLogs()
    {
        assertThat(TrinoExtendedStatisticsFile.sketch(List.of("web", "mobile"))).isEqualTo(CHANNELS);
        assertThat(TrinoExtendedStatisticsFile.sketch(LongStream.rangeClosed(1, 5).boxed().toList())).isEqualTo(ONE_TO_FIVE);
        assertThat(TrinoExtendedStatisticsFile.json(
                Instant.parse("2025-06-14T00:22:45.832Z"),
                ImmutableMap.of("channel", Column.of(34, CHANNELS), "basket_size", Column.of(ONE_TO_FIVE)),
                Optional.of(List.of("channel", "basket_size"))))
                .isEqualTo(TRINO_WRITTEN);
    }

    @Test
    void testParsesWhatTrinoWrites()
    {
        TableSketches sketches = DeltaExtendedStatistics.parse(TRINO_WRITTEN.getBytes(UTF_8));
        assertThat(sketches.columns()).containsExactlyInAnyOrderEntriesOf(ImmutableMap.of(
                "channel", new ColumnSketch(2, OptionalLong.of(34)),
                "basket_size", new ColumnSketch(5, OptionalLong.empty())));

        // a file of Trino before analyzedColumns, and any field a later model adds, read alike
        TableSketches older = DeltaExtendedStatistics.parse("""
                {"modelVersion":4,"alreadyAnalyzedModifiedTimeMax":"2022-06-13T05:40:24.561Z","columnStatistics":{"Channel":{"ndvSummary":"%s"}},"later":{"x":1}}"""
                .formatted(CHANNELS).getBytes(UTF_8));
        assertThat(older.columns()).containsExactly(Map.entry("Channel", new ColumnSketch(2, OptionalLong.empty())));
        assertThat(DeltaExtendedStatistics.parse("{\"modelVersion\":4,\"columnStatistics\":{}}".getBytes(UTF_8)).columns()).isEmpty();
    }

    @Test
    void testRejectsWhatIsNotTrinosFile()
    {
        assertInvalid("", "not a JSON object");
        assertInvalid("{\"modelVersion\":4", "not JSON");
        assertInvalid("[]", "not a JSON object");
        assertInvalid("{\"modelVersion\":4}", "no columnStatistics object");
        assertInvalid("{\"columnStatistics\":{\"channel\":{\"totalSizeInBytes\":34}}}", "column 'channel' has no ndvSummary");
        assertInvalid("{\"columnStatistics\":{\"channel\":{\"ndvSummary\":\"not base64!\"}}}", "the ndvSummary of column 'channel' is no HyperLogLog sketch");
        assertInvalid("{\"columnStatistics\":{\"channel\":{\"ndvSummary\":\"AAAA\"}}}", "the ndvSummary of column 'channel' is no HyperLogLog sketch");
        assertInvalid("{\"columnStatistics\":{\"channel\":{\"totalSizeInBytes\":\"many\",\"ndvSummary\":\"%s\"}}}".formatted(CHANNELS), "the totalSizeInBytes of column 'channel' is no byte count");
    }

    @Test
    void testReadsTheFileBesideTheLogOncePerVersionOfIt()
            throws IOException
    {
        Path table = TestFiles.temporaryDirectory("extended-statistics");
        Location location = TestFiles.location(table);
        DeltaExtendedStatistics statistics = new DeltaExtendedStatistics();
        // no file: no statistics
        assertThat(statistics.read(fileSystem, location)).isEmpty();

        Path file = TrinoExtendedStatisticsFile.write(table, TRINO_WRITTEN);
        assertThat(file).isEqualTo(table.resolve("_delta_log/_trino_meta/extended_stats.json"));
        assertThat(statistics.read(fileSystem, location).orElseThrow().columns()).containsKeys("channel", "basket_size");

        // Trino's next ANALYZE rewrites it: read again
        String reanalyzed = TrinoExtendedStatisticsFile.json(Instant.now(), ImmutableMap.of("channel", Column.of(ONE_TO_FIVE)), Optional.empty());
        Files.writeString(file, reanalyzed);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(statistics.read(fileSystem, location).orElseThrow().columns()).containsExactly(Map.entry("channel", new ColumnSketch(5, OptionalLong.empty())));

        // a broken file gives nothing, and does not fail
        Files.writeString(file, "{\"columnStatistics\":{\"channel\":{\"ndvSummary\":\"AAAA\"}}}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(20)));
        assertThat(statistics.read(fileSystem, location)).isEmpty();
        assertThat(statistics.read(fileSystem, location)).isEmpty();

        Files.delete(file);
        assertThat(statistics.read(fileSystem, location)).isEmpty();
    }

    private static void assertInvalid(String json, String reason)
    {
        assertThatThrownBy(() -> DeltaExtendedStatistics.parse(json.getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(reason);
    }
}
