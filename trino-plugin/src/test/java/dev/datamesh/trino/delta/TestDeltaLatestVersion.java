package dev.datamesh.trino.delta;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The latest state of a Delta table is replayed once per version: queries reuse the replay while
 * no commit follows it, see a new commit at once, and replay again when the commit they know was
 * written anew (the table deleted and created again). The kept replays are bounded by the files
 * they list.
 */
final class TestDeltaLatestVersion
        extends AbstractTestQueryFramework
{
    private static final String QUERY = "SELECT count(*), max(order_year) FROM customer_service.customer_orders";

    private Path log;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        log = products.resolveSibling("data/customer-service/customer_orders/_delta_log");
        // room for the latest version's 3 files, not for two versions
        return MeshQueryRunner.create(products, 0, ImmutableMap.of("mesh.delta.snapshot-cache-files", "5"));
    }

    @Test
    void testReplayedOncePerVersion()
            throws IOException
    {
        Path commit0 = log.resolve("%020d.json".formatted(0));
        Path commit1 = log.resolve("%020d.json".formatted(1));
        String version0 = Files.readString(commit0);
        String version1 = Files.readString(commit1);
        FileTime commit1Time = Files.getLastModifiedTime(commit1);
        long version0Orders = SampleMesh.customerOrders().stream().filter(order -> order.orderYear() < 2025).count();
        long allOrders = SampleMesh.customerOrders().size();

        // version 1 withdrawn: the table is at version 0 (2023 and 2024)
        Files.delete(commit1);
        assertQuery(QUERY, "VALUES (%s, 2024)".formatted(version0Orders));

        // a new commit is seen by the next query, with no delay
        Files.writeString(commit1, version1);
        Files.setLastModifiedTime(commit1, commit1Time);
        assertQuery(QUERY, "VALUES (%s, 2025)".formatted(allOrders));

        // while no commit follows, the kept replay answers: the log is not read again (a replay
        // of this log, whose first commit is now unreadable, would fail)
        FileTime commit0Time = Files.getLastModifiedTime(commit0);
        Files.writeString(commit0, "not a Delta commit");
        Files.setLastModifiedTime(commit0, commit0Time);
        assertQuery(QUERY, "VALUES (%s, 2025)".formatted(allOrders));
        assertQuery("SELECT count(*) FROM customer_service.customer_orders FOR VERSION AS OF 1", "VALUES " + allOrders);

        // the latest commit written again (the table recreated under the same version numbers): replayed
        Files.writeString(commit1, version1);
        Files.setLastModifiedTime(commit1, FileTime.fromMillis(commit1Time.toMillis() + 60_000));
        assertQueryFails(QUERY, "(?s)Cannot read asset 'customer_orders' of data product 'customer-data-product' \\(domain customer-service\\): cannot read the Delta log at .*");

        Files.writeString(commit0, version0);
        Files.setLastModifiedTime(commit0, commit0Time);
        assertQuery(QUERY, "VALUES (%s, 2025)".formatted(allOrders));
    }
}
