package dev.datamesh.trino.delta;

import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FOR VERSION AS OF and FOR TIMESTAMP AS OF on the golden table with three versions; each version
 * must return the rows the reference read from the golden copy of that version.
 */
final class TestDeltaTimeTravel
        extends AbstractTestQueryFramework
{
    private static final Path TESTDATA = SampleMeshDirectory.repositoryRoot().resolveSibling("shared/testdata");
    private static final String TABLE = "time-travel-start-start20-start40";
    private static final Pattern COMMIT_TIMESTAMP = Pattern.compile("\"commitInfo\":\\{\"timestamp\":(\\d+)");

    private long[] commitTimestamps;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path root = TestFiles.temporaryDirectory("time-travel-mesh");
        Path products = Files.createDirectories(root.resolve("products"));
        Path source = TESTDATA.resolve("delta-golden").resolve(TABLE);
        Path location = root.resolve("table");
        if (Files.isDirectory(source)) {
            TestFiles.copyTree(source, location);
            commitTimestamps = restoreCommitTimes(location.resolve("_delta_log"));
        }
        else {
            Files.createDirectories(location);
        }
        dataProduct("time-travel", "golden", "delta-lake-project")
                .asset(delta("travel", quoted(location)))
                .writeTo(products.resolve("travel.yaml"));
        return MeshQueryRunner.create(products, 0);
    }

    @Test
    void testVersionAsOf()
            throws IOException
    {
        assumeGolden();
        assertRows("SELECT * FROM golden.travel FOR VERSION AS OF 0", "time-travel-start");
        assertRows("SELECT * FROM golden.travel FOR VERSION AS OF 1", "time-travel-start-start20");
        assertRows("SELECT * FROM golden.travel FOR VERSION AS OF 2", TABLE);
        assertRows("SELECT * FROM golden.travel", TABLE);
        assertQuery("SELECT (SELECT count(*) FROM golden.travel FOR VERSION AS OF 0), (SELECT count(*) FROM golden.travel)", "VALUES (10, 30)");
    }

    @Test
    void testTimestampAsOf()
            throws IOException
    {
        assumeGolden();
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[1])), "time-travel-start-start20");
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[1] + 500)), "time-travel-start-start20");
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[1] - 1)), "time-travel-start");
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[2])), TABLE);
        // as in Trino's Delta connector, a time after the last commit reads the latest version
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[2] + 3_600_000)), TABLE);
        assertRows("SELECT * FROM golden.travel FOR TIMESTAMP AS OF current_timestamp - INTERVAL '1' SECOND", TABLE);
    }

    @Test
    void testVersionsThatDoNotExist()
    {
        assumeGolden();
        assertQueryFails("SELECT * FROM golden.travel FOR VERSION AS OF 7",
                "Cannot read asset 'travel' of data product 'time-travel' \\(domain golden\\): cannot read the Delta log at .*");
        assertQueryFails("SELECT * FROM golden.travel FOR TIMESTAMP AS OF %s".formatted(timestamp(commitTimestamps[0] - 60_000)),
                "Cannot read asset 'travel' of data product 'time-travel' \\(domain golden\\): cannot read the Delta log at .*: The provided timestamp .* is before the earliest available version 0.*");
        assertQueryFails("SELECT * FROM golden.travel FOR VERSION AS OF -1", "Delta table versions are non-negative integers, not -1");
    }

    private void assertRows(String sql, String expectedTable)
            throws IOException
    {
        ExpectedRows expected = ExpectedRows.read(TESTDATA.resolve("delta-golden-expected").resolve(expectedTable + ".csv.gz"));
        Optional<String> mismatch = expected.mismatch(computeActual(sql));
        assertThat(mismatch).as(sql).isEmpty();
    }

    private void assumeGolden()
    {
        assumeTrue(commitTimestamps != null, "skipped: no Delta golden tables under " + TESTDATA + " (../shared/testdata is absent)");
    }

    private static String timestamp(long epochMillis)
    {
        return "TIMESTAMP '%s UTC'".formatted(Instant.ofEpochMilli(epochMillis).toString().replace('T', ' ').replace("Z", ""));
    }

    /**
     * Delta dates commits without in-commit timestamps by their files' modification times; a copy
     * loses them, so they are set back to the commit times the writer recorded.
     */
    private static long[] restoreCommitTimes(Path log)
            throws IOException
    {
        long[] timestamps = new long[3];
        for (int version = 0; version < timestamps.length; version++) {
            Path commit = log.resolve("%020d.json".formatted(version));
            commit.toFile().setWritable(true);
            Matcher matcher = COMMIT_TIMESTAMP.matcher(Files.readString(commit));
            assertThat(matcher.find()).as("commit timestamp in " + commit).isTrue();
            timestamps[version] = Long.parseLong(matcher.group(1));
            Files.setLastModifiedTime(commit, FileTime.fromMillis(timestamps[version]));
        }
        return timestamps;
    }
}
