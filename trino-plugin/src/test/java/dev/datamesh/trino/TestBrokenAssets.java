package dev.datamesh.trino;

import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.iceberg;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken descriptors, corrupt files and broken contracts fail only what they touch, with errors
 * that name the file; the rest of the mesh keeps answering.
 */
final class TestBrokenAssets
        extends AbstractTestQueryFramework
{
    private Path products;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        Path data = products.resolveSibling("data");
        Path quality = Files.createDirectories(products.resolve("quality"));
        Path customerFile = data.resolve("customer-service/customer_profile/part-00000.parquet");

        Files.writeString(products.resolve("broken.yaml"), """
                name: broken-product
                domain: sales
                owner: nobody
                version: 1.0.0
                data_assets:
                  - name: invoices
                    format: parquet
                     location: /tmp
                """);

        Path corruptFooter = Files.createDirectories(data.resolve("quality/corrupt_footer"));
        Files.write(corruptFooter.resolve("part-0.parquet"), "this is not a parquet file at all".getBytes());

        Path corruptPages = Files.createDirectories(data.resolve("quality/corrupt_pages"));
        Path corruptPagesFile = corruptPages.resolve("part-0.parquet");
        Files.copy(customerFile, corruptPagesFile);
        try (RandomAccessFile file = new RandomAccessFile(corruptPagesFile.toFile(), "rw")) {
            // keep the footer, destroy the column chunks
            byte[] garbage = new byte[(int) (file.length() / 2)];
            Arrays.fill(garbage, (byte) 0x5A);
            file.seek(4);
            file.write(garbage);
        }

        Path contract = Files.createDirectories(data.resolve("quality/contract"));
        Files.copy(customerFile, contract.resolve("part-0.parquet"));
        Files.writeString(quality.resolve("contract_schema.json"), """
                {
                  "columns": [
                    {"name": "customer_id", "type": "varchar"},
                    {"name": "loyalty_tier", "type": "varchar"}
                  ]
                }
                """);

        Path badPartition = Files.createDirectories(data.resolve("quality/bad_partition/batch=first"));
        Files.copy(customerFile, badPartition.resolve("part-0.parquet"));
        Files.writeString(quality.resolve("bad_partition_schema.json"), """
                {"columns": [{"name": "batch", "type": "integer"}]}
                """);

        dataProduct("quality-product", "quality", "quality-team").version("0.1.0").asset(
                parquet("corrupt_footer", "../../data/quality/corrupt_footer"),
                parquet("corrupt_pages", "../../data/quality/corrupt_pages"),
                parquet("contract", "../../data/quality/contract").schema("contract_schema.json"),
                parquet("bad_partition", "../../data/quality/bad_partition").schema("bad_partition_schema.json"),
                // a Parquet folder published as a Delta table and as an Iceberg table
                delta("lake_table", "../../data/quality/contract"),
                iceberg("iceberg_table", "../../data/quality/contract"),
                parquet("single_file", "file://" + customerFile))
                .writeTo(quality.resolve("quality-product.yaml"));
        return MeshQueryRunner.create(products, 0);
    }

    @Test
    void testBrokenDescriptorLeavesOtherProductsServing()
    {
        assertThat(computeActual("SHOW TABLES FROM sales").getOnlyColumnAsSet()).containsExactly("orders");
        assertQuery("SELECT count(*) FROM sales.orders", "VALUES 8000");
        assertQuery("SELECT count(*) FROM customer_service.customer_profile", "VALUES 5000");
    }

    @Test
    void testSingleFileAssetByUri()
    {
        assertQuery("SELECT count(*), min(customer_id), max(customer_id) FROM quality.single_file", "VALUES (2500, 1, 2500)");
    }

    @Test
    void testCorruptFooterNamesTheFile()
    {
        assertQueryFails("SELECT * FROM quality.corrupt_footer",
                "Cannot read the Parquet footer of file://" + products.resolveSibling("data") + "/quality/corrupt_footer/part-0.parquet in asset 'corrupt_footer' of data product 'quality-product' \\(domain quality\\): .*");
    }

    @Test
    void testCorruptPagesNameTheFile()
    {
        assertQueryFails("SELECT sum(lifetime_value), max(email) FROM quality.corrupt_pages",
                "(Corrupt|Failed to read) Parquet file .*/quality/corrupt_pages/part-0.parquet \\(table quality.corrupt_pages of data product 'quality-product'\\).*");
    }

    @Test
    void testContractViolationIsReported()
    {
        assertQueryFails("SELECT * FROM quality.contract",
                "asset 'contract' of data product 'quality-product' \\(domain quality\\) violates its schema contract .*contract_schema.json: " +
                        "column 'customer_id' is declared as varchar \\(.*contract_schema.json:3:5\\) but the data has bigint; " +
                        "column 'loyalty_tier' \\(.*contract_schema.json:4:5\\) is missing from the data \\(.*\\)");
        // SQL tools still list the table and every other table's columns
        assertThat(computeActual("SHOW TABLES FROM quality").getOnlyColumnAsSet()).contains("contract", "corrupt_pages");
        assertQuery("SELECT count(DISTINCT table_name) FROM information_schema.columns WHERE table_schema IN ('sales', 'customer_service')", "VALUES 3");
    }

    @Test
    void testInvalidPartitionValueNamesTheFolder()
    {
        assertQueryFails("SELECT DISTINCT batch FROM quality.bad_partition",
                "Partition folder batch=first of file .*/bad_partition/batch=first/part-0.parquet is not a valid integer value; .*");
    }

    @Test
    void testFolderWithoutDeltaLogIsExplained()
    {
        assertQueryFails("SELECT * FROM quality.lake_table",
                "Cannot read asset 'lake_table' of data product 'quality-product' \\(domain quality\\): no Delta table at file://.*/quality/contract: the folder has no _delta_log with a commit or checkpoint");
    }

    @Test
    void testIcebergAssetWithoutTableIsExplained()
    {
        // a Parquet folder published as iceberg
        assertQueryFails("SELECT * FROM quality.iceberg_table",
                "Cannot read asset 'iceberg_table' of data product 'quality-product' \\(domain quality\\): file:///.*/data/quality/contract holds no Iceberg table: there is no metadata file in file:///.*/data/quality/contract/metadata");
    }

    @Test
    void testCorruptFileDoesNotBreakOtherTablesInItsProduct()
    {
        assertQuery("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'quality' AND table_name = 'corrupt_pages'", "VALUES 10");
        assertQuery("SELECT count(*) FROM quality.corrupt_pages WHERE false", "VALUES 0");
    }
}
