package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.ParquetFileWriter;
import dev.datamesh.trino.MeshQueryRunner;
import io.airlift.units.DataSize;
import io.trino.spi.type.RowType;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.deleteEqual;
import static dev.datamesh.iceberg.testing.IcebergTestTables.jdbcCatalog;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static dev.datamesh.iceberg.testing.IcebergTestTables.writingCatalogs;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTables;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.block.RowValueBuilder.buildRowValue;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

/**
 * Iceberg tables whose schema changed after their last snapshot, read at their latest state
 * (current schema) and by snapshot id (the snapshot's schema), possibly both in one query; and
 * tables whose files or schema the SQL model cannot take at face value.
 */
public class TestIcebergSchemaEdgeCases
        extends AbstractTestQueryFramework
{
    private long addedSnapshot;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path root = temporaryDirectory("iceberg-edge-cases");
        Path sqlite = root.resolve("catalog.db");
        Path warehouse = root.resolve("warehouse");
        Catalog catalog = writingCatalogs().catalog(jdbcCatalog("mesh", sqlite, warehouse));

        Schema floats = new Schema(required(1, "id", Types.IntegerType.get()), optional(2, "f", Types.FloatType.get()));
        Table promotedFloat = createTable(catalog, "lake", "promoted_float", floats);
        append(promotedFloat, ImmutableList.of(record(floats, 1, 0.1f)));
        promotedFloat.updateSchema().updateColumn("f", Types.DoubleType.get()).commit();

        Schema narrow = new Schema(
                required(1, "id", Types.IntegerType.get()),
                optional(2, "f", Types.FloatType.get()),
                optional(3, "dec", Types.DecimalType.of(9, 2)),
                optional(4, "wide", Types.DecimalType.of(10, 2)));
        Table promoted = createTable(catalog, "lake", "promoted", narrow);
        append(promoted, ImmutableList.of(record(narrow, 1, 1.5f, new BigDecimal("10.25"), new BigDecimal("1.50"))));
        promoted.updateSchema()
                .updateColumn("id", Types.LongType.get())
                .updateColumn("f", Types.DoubleType.get())
                .updateColumn("dec", Types.DecimalType.of(12, 2))
                .updateColumn("wide", Types.DecimalType.of(25, 2))
                .commit();
        append(promoted, ImmutableList.of(record(promoted.schema(), 2L, 2.5, new BigDecimal("20.50"), new BigDecimal("12345678901234567890.25"))));

        Schema keyed = new Schema(required(1, "id", Types.IntegerType.get()), optional(2, "v", Types.StringType.get()));
        Table promotedKey = createTable(catalog, "lake", "promoted_key", keyed);
        append(promotedKey, ImmutableList.of(record(keyed, 1, "a"), record(keyed, 2, "b"), record(keyed, 3, "c")));
        Schema key = keyed.select("id");
        deleteEqual(promotedKey, key, ImmutableList.of(record(key, 2)));
        promotedKey.updateSchema().updateColumn("id", Types.LongType.get()).commit();

        Table added = createTable(catalog, "lake", "added", keyed);
        append(added, ImmutableList.of(record(keyed, 1, "a")));
        addedSnapshot = added.currentSnapshot().snapshotId();
        added.updateSchema().addColumn("extra", Types.StringType.get()).commit();

        Schema cased = new Schema(
                required(1, "id", Types.IntegerType.get()),
                optional(2, "st", Types.StructType.of(optional(3, "X", Types.IntegerType.get()), optional(4, "x", Types.IntegerType.get()))));
        Table nestedCase = createTable(catalog, "lake", "nested_case", cased);
        append(nestedCase, ImmutableList.of(record(cased, 1, record(cased.findType("st").asStructType().asSchema(), 10, 20))));

        writeFileWithoutFieldIds(catalog, root.resolve("files/without-ids.parquet"));

        Path products = Files.createDirectories(root.resolve("products"));
        dataProduct("iceberg-edge-cases", "lake", "lake-team")
                .version("\"1\"")
                .sqliteCatalog(sqlite, warehouse)
                .asset(icebergTables("lake", "promoted_float", "promoted", "promoted_key", "added", "nested_case", "without_ids"))
                .writeTo(products.resolve("lake.yaml"));
        return MeshQueryRunner.create(products, 1, ImmutableMap.of("mesh.iceberg.metadata-cache-ttl", "0s"));
    }

    /**
     * A data file written without Iceberg field ids, as tables migrated from Hive have, added to
     * the table as is.
     */
    private static void writeFileWithoutFieldIds(Catalog catalog, Path file)
            throws Exception
    {
        Schema schema = new Schema(
                required(1, "id", Types.IntegerType.get()),
                optional(2, "st", Types.StructType.of(optional(3, "a", Types.IntegerType.get()), optional(4, "b", Types.StringType.get()))));
        Table table = createTable(catalog, "lake", "without_ids", schema);
        RowType rowType = RowType.from(ImmutableList.of(RowType.field("a", INTEGER), RowType.field("b", VARCHAR)));
        ParquetFileWriter.write(
                file,
                ImmutableList.of("id", "st"),
                ImmutableList.of(INTEGER, rowType),
                ImmutableList.of(Arrays.asList(1L, buildRowValue(rowType, fields -> {
                    INTEGER.writeLong(fields.get(0), 10);
                    VARCHAR.writeSlice(fields.get(1), utf8Slice("ten"));
                }))),
                DataSize.of(1, DataSize.Unit.MEGABYTE));
        DataFile dataFile = DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(file.toUri().toString())
                .withFileSizeInBytes(Files.size(file))
                .withRecordCount(1)
                .withFormat(FileFormat.PARQUET)
                .build();
        table.newAppend().appendFile(dataFile).commit();
    }

    @Test
    public void testFilterOnFloatPromotedToDouble()
    {
        // 0.1f read as a double is 0.10000000149011612, above 0.1
        assertQuery("SELECT count(*) FROM lake.promoted_float WHERE f > 0.1", "VALUES 1");
        assertQuery("SELECT count(*) FROM lake.promoted_float WHERE f = DOUBLE '0.10000000149011612'", "VALUES 1");
        assertQuery("SELECT count(*) FROM lake.promoted WHERE f > 1", "VALUES 2");
        assertQuery("SELECT id FROM lake.promoted WHERE f < 2", "VALUES 1");
    }

    @Test
    public void testFilterOnPromotedIntegersAndDecimals()
    {
        assertQuery("SELECT id FROM lake.promoted WHERE id >= 1", "VALUES 1, 2");
        assertQuery("SELECT id FROM lake.promoted WHERE id = 1", "VALUES 1");
        assertQuery("SELECT id FROM lake.promoted WHERE dec > 1", "VALUES 1, 2");
        assertQuery("SELECT id FROM lake.promoted WHERE dec = 10.25", "VALUES 1");
        assertQuery("SELECT id FROM lake.promoted WHERE wide = 1.50", "VALUES 1");
        assertQuery("SELECT id, CAST(wide AS varchar) FROM lake.promoted WHERE wide > 1", "VALUES (1, '1.50'), (2, '12345678901234567890.25')");
    }

    @Test
    public void testEqualityDeleteOnKeyPromotedAfterLastSnapshot()
    {
        assertQuery("SELECT id, v FROM lake.promoted_key", "VALUES (1, 'a'), (3, 'c')");
        assertQuery("SELECT v FROM lake.promoted_key", "VALUES 'a', 'c'");
        assertQuery("SELECT id FROM lake.promoted_key WHERE id > 1", "VALUES 3");
    }

    @Test
    public void testLatestStateAndSnapshotIdInOneQuery()
    {
        // the latest state has the column added after the last snapshot; the snapshot read by id does not
        assertQuery("SELECT id, v, extra FROM lake.added", "VALUES (1, 'a', NULL)");
        assertQueryFails("SELECT extra FROM lake.added FOR VERSION AS OF " + addedSnapshot, ".*Column 'extra' cannot be resolved");
        assertQuery(
                "SELECT (SELECT count(*) FROM lake.added FOR VERSION AS OF %s), (SELECT count(*) FROM lake.added WHERE extra IS NULL)".formatted(addedSnapshot),
                "VALUES (1, 1)");
        assertQuery(
                "SELECT (SELECT count(*) FROM lake.added WHERE extra IS NULL), (SELECT count(*) FROM lake.added FOR VERSION AS OF %s)".formatted(addedSnapshot),
                "VALUES (1, 1)");
    }

    @Test
    public void testNestedFieldsDifferingOnlyInCaseAreRejected()
    {
        assertQueryFails(
                "SELECT * FROM lake.nested_case",
                "Cannot read asset 'nested_case' of data product 'iceberg-edge-cases' \\(domain lake\\): column 'st' has nested fields 'X' and 'x', which differ only in case; SQL cannot tell them apart");
        assertQuery("SELECT count(*) FROM lake.promoted", "VALUES 2");
    }

    @Test
    public void testFileWithoutFieldIdsIsReadByName()
    {
        assertQuery("SELECT id, st.a, st.b FROM lake.without_ids", "VALUES (1, 10, 'ten')");
    }
}
