package dev.datamesh.trino;

import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static dev.datamesh.trino.SampleMeshDirectory.customerProfileFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * What the catalog tables read of the data, beside the sample mesh: tables that cannot be read
 * (a corrupt file, a vanished folder) in sla_status with their last error; a table without a
 * declared freshness; a Delta table going stale by its commit time; the columns only the data
 * has; and that a WHERE on one table reads that table alone.
 */
@Execution(SAME_THREAD)
public class TestSystemTableReads
        extends AbstractTestQueryFramework
{
    private Path data;
    private Path latestCommit;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        Path sample = products.resolveSibling("data");
        data = Files.createDirectories(sample.resolve("probes"));
        Path profile = customerProfileFile(products);

        // a file that is no Parquet file: its listing works, its footer cannot be read
        Files.writeString(Files.createDirectories(data.resolve("corrupt")).resolve("part-00000.parquet"), "not a parquet file");
        Files.copy(profile, Files.createDirectories(data.resolve("vanishing")).resolve("part-00000.parquet"));
        Files.copy(profile, Files.createDirectories(data.resolve("extras")).resolve("part-00000.parquet"));
        Files.copy(profile, Files.createDirectories(data.resolve("unmeasured")).resolve("part-00000.parquet"));
        copyTree(sample.resolve("customer-service/customer_orders"), data.resolve("web_orders"));
        try (Stream<Path> commits = Files.list(data.resolve("web_orders/_delta_log"))) {
            latestCommit = commits.filter(file -> file.toString().endsWith(".json")).sorted().toList().getLast();
        }

        Path domain = Files.createDirectories(products.resolve("probes"));
        Files.writeString(domain.resolve("corrupt_schema.json"), """
                {"columns": [{"name": "customer_id", "type": "bigint"}]}
                """);
        Files.writeString(domain.resolve("extras_schema.json"), """
                {"columns": [
                  {"name": "customer_id", "type": "bigint", "description": "Customer"},
                  {"name": "email", "type": "varchar", "tags": ["pii", "contact"]}
                ]}
                """);
        dataProduct("probes-data-product", "probes", "probes-team")
                .sla("{freshness: 1 hour}")
                .asset(
                        parquet("corrupt", "../../data/probes/corrupt").schema("corrupt_schema.json"),
                        parquet("vanishing", "../../data/probes/vanishing"),
                        parquet("extras", "../../data/probes/extras").schema("extras_schema.json"),
                        delta("web_orders", "../../data/probes/web_orders"))
                .writeTo(domain.resolve("probes-data-product.yaml"));
        dataProduct("unmeasured-data-product", "probes", "probes-team")
                .asset(parquet("unmeasured", "../../data/probes/unmeasured"))
                .writeTo(domain.resolve("unmeasured-data-product.yaml"));
        return MeshQueryRunner.create(products, 1);
    }

    @Test
    public void testUnreadableTableShowsItsLastError()
    {
        Instant before = Instant.now();
        assertThatThrownBy(() -> computeActual("SELECT count(*) FROM probes.corrupt")).hasMessageContaining("Cannot read the Parquet footer of ");
        MaterializedRow status = single("SELECT status, last_error, last_error_time FROM system.sla_status WHERE table_name = 'corrupt'");
        // its files are listed, so its age is known: the footer is what cannot be read
        assertThat(status.getField(0)).isEqualTo("ok");
        assertThat((String) status.getField(1)).startsWith("Cannot read the Parquet footer of ").contains("corrupt/part-00000.parquet");
        assertThat(((ZonedDateTime) status.getField(2)).toInstant()).isBetween(before.minusMillis(1), Instant.now());
    }

    @Test
    public void testTableWhoseDataCannotBeFoundHasStatusUnknown()
            throws Exception
    {
        Path moved = data.resolveSibling("vanishing-moved");
        Files.move(data.resolve("vanishing"), moved);
        try {
            MaterializedRow status = single("SELECT status, latest_data, lag_seconds, last_error, last_error_time IS NOT NULL FROM system.sla_status WHERE table_name = 'vanishing'");
            assertThat(status.getFields().subList(0, 3)).containsExactly("unknown", null, null);
            assertThat((String) status.getField(3)).startsWith("Cannot list the files of asset 'vanishing' of data product 'probes-data-product' (domain probes)");
            assertThat(status.getField(4)).isEqualTo(true);
        }
        finally {
            Files.move(moved, data.resolve("vanishing"));
        }
    }

    @Test
    public void testTableWithoutDeclaredFreshness()
    {
        MaterializedRow status = single("SELECT freshness, status, latest_data IS NOT NULL, lag_seconds >= 0, last_error FROM system.sla_status WHERE table_name = 'unmeasured'");
        assertThat(status.getFields()).containsExactly(null, "unknown", true, true, null);
    }

    @Test
    public void testDeltaTableGoesStaleByItsCommitTime()
            throws Exception
    {
        // Delta dates a commit by its log file's modification time
        Instant committed = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        Files.setLastModifiedTime(latestCommit, FileTime.from(committed));
        MaterializedRow fresh = single("SELECT status, to_unixtime(latest_data) FROM system.sla_status WHERE table_name = 'web_orders'");
        assertThat(fresh.getFields()).containsExactly("ok", (double) committed.getEpochSecond());

        Files.setLastModifiedTime(latestCommit, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertQuery("SELECT status, lag_seconds BETWEEN 7200 AND 7500 FROM system.sla_status WHERE table_name = 'web_orders'", "VALUES ('breached', true)");
    }

    @Test
    public void testColumnsOnlyTheDataHasAreListed()
    {
        // the contract's columns first, then those it does not declare, which are served
        assertQuery("SELECT column_name, ordinal_position, declared, classifications FROM system.columns WHERE table_name = 'extras' AND ordinal_position <= 3",
                "VALUES ('customer_id', 1, true, ARRAY[]), ('email', 2, true, ARRAY['pii', 'contact']), ('first_name', 3, false, ARRAY[])");
        assertThat(computeActual("SELECT column_name FROM system.columns WHERE table_name = 'extras'").getOnlyColumnAsSet())
                .isEqualTo(computeActual("SELECT column_name FROM information_schema.columns WHERE table_schema = 'probes' AND table_name = 'extras'").getOnlyColumnAsSet());
        assertThat(computeActual("SELECT column_name FROM system.columns WHERE table_name = 'extras' AND NOT declared").getOnlyColumnAsSet())
                .isEqualTo(computeActual("SELECT column_name FROM system.contract_violations WHERE table_name = 'extras' AND kind = 'extra_column'").getOnlyColumnAsSet());
        // an unreadable table still has its contract's columns
        assertQuery("SELECT column_name, declared FROM system.columns WHERE table_name = 'corrupt'", "VALUES ('customer_id', true)");
    }

    @Test
    public void testWhereOnOneTableReadsOnlyThatTable()
            throws Exception
    {
        // every read of a broken table records its error: none may be recorded by queries on another table
        Path moved = data.resolveSibling("vanishing-moved");
        Files.move(data.resolve("vanishing"), moved);
        Instant start = Instant.now();
        try {
            computeActual("SELECT * FROM system.sla_status WHERE table_name = 'extras'");
            computeActual("SELECT * FROM system.columns WHERE table_schema = 'probes' AND table_name = 'extras'");
            computeActual("SELECT * FROM system.contract_violations WHERE table_name IN ('extras', 'web_orders')");
            computeActual("SELECT * FROM system.sla_status WHERE data_product = 'unmeasured-data-product'");
        }
        finally {
            Files.move(moved, data.resolve("vanishing"));
        }
        for (String table : List.of("corrupt", "vanishing")) {
            Object lastError = single("SELECT last_error_time FROM system.sla_status WHERE table_name = '%s'".formatted(table)).getField(0);
            if (lastError != null) {
                assertThat(((ZonedDateTime) lastError).toInstant()).as(table).isBefore(start);
            }
        }
    }

    private MaterializedRow single(String sql)
    {
        List<MaterializedRow> rows = computeActual(sql).getMaterializedRows();
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }
}
