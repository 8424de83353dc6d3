package dev.datamesh.iceberg;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.descriptor.DataAssetDescriptor;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.IcebergCatalogReference;
import dev.datamesh.descriptor.ServiceLevel;
import dev.datamesh.descriptor.SourcePosition;
import dev.datamesh.iceberg.testing.TestingIcebergRestCatalogServer;
import dev.datamesh.iceberg.testing.TestingIcebergRestCatalogServer.Authentication;
import dev.datamesh.registry.CatalogTable;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.StorageFileSystems;
import dev.datamesh.registry.TableVersion;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createFolderTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.currentMetadataFile;
import static dev.datamesh.iceberg.testing.IcebergTestTables.deleteEqual;
import static dev.datamesh.iceberg.testing.IcebergTestTables.deletePositions;
import static dev.datamesh.iceberg.testing.IcebergTestTables.jdbcCatalog;
import static dev.datamesh.iceberg.testing.IcebergTestTables.readingCatalogs;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static dev.datamesh.iceberg.testing.IcebergTestTables.restCatalog;
import static dev.datamesh.iceberg.testing.IcebergTestTables.writingCatalogs;
import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static dev.datamesh.registry.testing.TestFiles.location;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestIcebergTables
{
    private static final Schema SCHEMA = new Schema(
            required(1, "id", Types.LongType.get()),
            optional(2, "name", Types.StringType.get()));
    private static final Duration LONG_TTL = Duration.ofHours(1);

    private static final String TOKEN = "t0ken-value-that-must-stay-secret";
    private static final String CLIENT_ID = "mesh-client";
    private static final String CLIENT_SECRET = "cl1ent-secret-that-must-stay-secret";

    private static TestingIcebergRestCatalogServer restServer;

    private final TrinoFileSystem fileSystem = localFileSystem();
    private final List<IcebergCatalogs> openedCatalogs = new ArrayList<>();

    @TempDir
    Path directory;

    @BeforeAll
    static void startRestServer()
            throws IOException
    {
        restServer = new TestingIcebergRestCatalogServer();
    }

    @AfterAll
    static void stopRestServer()
            throws IOException
    {
        restServer.close();
    }

    @AfterEach
    void closeCatalogs()
    {
        openedCatalogs.forEach(IcebergCatalogs::close);
        restServer.setAuthentication(Authentication.NONE);
        restServer.start();
    }

    @Test
    void testFolderTableWithVersionHint()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, true);
        append(table, record(SCHEMA, 1L, "a"), record(SCHEMA, 2L, "b"));
        long first = table.currentSnapshot().snapshotId();
        append(table, record(SCHEMA, 3L, "c"));
        assertThat(folder.resolve("metadata/version-hint.text")).hasContent("3");

        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST);
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(snapshot.schema().asStruct()).isEqualTo(SCHEMA.asStruct());
        assertThat(snapshot.table().name()).isEqualTo(location(folder).toString());
        assertThat(ids(snapshot)).containsExactlyInAnyOrder(1L, 2L, 3L);

        // the hint, not the highest number, names the current metadata file
        Files.writeString(folder.resolve("metadata/version-hint.text"), "2");
        assertThat(tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST).snapshotId()).contains(first);

        // a hint naming a missing file is ignored: the newest file is read
        Files.writeString(folder.resolve("metadata/version-hint.text"), "7");
        assertThat(tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST).snapshotId()).contains(table.currentSnapshot().snapshotId());
    }

    @Test
    void testFolderTableWithoutVersionHint()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, false);
        // v11.metadata.json is newer than v2.metadata.json: versions compare as numbers
        for (long id = 1; id <= 10; id++) {
            append(table, record(SCHEMA, id, "name-" + id));
        }
        assertThat(folder.resolve("metadata/version-hint.text")).doesNotExist();
        assertThat(folder.resolve("metadata/v11.metadata.json")).exists();

        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST);
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).hasSize(10);
    }

    @Test
    void testFolderOfCatalogTable()
            throws Exception
    {
        // a table a catalog wrote: metadata files are 00000-<uuid>.metadata.json, 00001-..., without a hint
        Catalog catalog = writingCatalog(jdbcCatalog("writer", directory.resolve("writer.db"), directory.resolve("warehouse")));
        Table table = createTable(catalog, "sales", "orders", SCHEMA);
        append(table, record(SCHEMA, 1L, "a"));
        append(table, record(SCHEMA, 2L, "b"));

        Location tableLocation = location(directory.resolve("warehouse/sales/orders"));
        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(tableLocation), TableVersion.LATEST);
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void testMetadataFile()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, true);
        append(table, record(SCHEMA, 1L, "a"));
        long first = table.currentSnapshot().snapshotId();
        String firstMetadataFile = currentMetadataFile(table);
        append(table, record(SCHEMA, 2L, "b"));

        // a metadata file is the table as it was when that file was written
        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(Location.of(firstMetadataFile)), TableVersion.LATEST);
        assertThat(firstMetadataFile).endsWith("/metadata/v2.metadata.json");
        assertThat(snapshot.snapshotId()).contains(first);
        assertThat(ids(snapshot)).containsExactly(1L);
    }

    @Test
    void testEmptyTable()
            throws Exception
    {
        Path folder = directory.resolve("empty");
        createFolderTable(folder, SCHEMA, true);

        IcebergTables tables = tables(LONG_TTL);
        IcebergSnapshot snapshot = tables.snapshot(assetAt(location(folder)), TableVersion.LATEST);
        assertThat(snapshot.snapshot()).isEmpty();
        assertThat(snapshot.schema().asStruct()).isEqualTo(SCHEMA.asStruct());
        assertThatThrownBy(() -> tables.snapshot(assetAt(location(folder)), new TableVersion.AtTimestamp(System.currentTimeMillis())))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("the Iceberg table %s has no snapshot at or before ".formatted(location(folder)));
    }

    @Test
    void testDeletes()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, true);
        DataFile dataFile = append(table, record(SCHEMA, 1L, "a"), record(SCHEMA, 2L, "b"), record(SCHEMA, 3L, "c"), record(SCHEMA, 4L, "d")).getFirst();
        deletePositions(table, dataFile, 1);
        Schema key = SCHEMA.select("name");
        deleteEqual(table, key, List.of(record(key, "d")));

        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST);
        assertThat(snapshot.snapshot().orElseThrow().operation()).isEqualTo("delete");
        assertThat(ids(snapshot)).containsExactlyInAnyOrder(1L, 3L);
    }

    @Test
    void testPartitionedTable()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("name").build(), ImmutableMap.of(), true);
        List<DataFile> files = append(table, record(SCHEMA, 1L, "a"), record(SCHEMA, 2L, "b"), record(SCHEMA, 3L, "a"));
        assertThat(files).hasSize(2);
        deletePositions(table, files.getFirst(), 0);
        deleteEqual(table, SCHEMA.select("name"), List.of(record(SCHEMA.select("name"), "b")));

        IcebergSnapshot snapshot = tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST);
        assertThat(ids(snapshot)).containsExactly(3L);
    }

    @Test
    void testJdbcCatalog()
            throws Exception
    {
        Path database = directory.resolve("catalog.db");
        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", database, directory.resolve("warehouse"));
        Table table = createTable(writingCatalog(descriptor), "sales", "orders", SCHEMA);
        append(table, record(SCHEMA, 1L, "a"), record(SCHEMA, 2L, "b"));
        assertThat(database).isRegularFile();

        IcebergSnapshot snapshot = tables(readingCatalogs(), LONG_TTL).snapshot(assetIn(descriptor, "sales", "orders"), TableVersion.LATEST);
        assertThat(snapshot.table().name()).isEqualTo("mesh.sales.orders");
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void testJdbcCatalogTableMissing()
            throws Exception
    {
        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", directory.resolve("catalog.db"), directory.resolve("warehouse"));
        createTable(writingCatalog(descriptor), "sales", "orders", SCHEMA);

        IcebergTables tables = tables(readingCatalogs(), LONG_TTL);
        assertThatThrownBy(() -> tables.snapshot(assetIn(descriptor, "sales", "returns"), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the table sales.returns in the %s does not exist", descriptor);
        assertThatThrownBy(() -> tables.snapshot(assetIn(descriptor, "marketing", "orders"), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the table marketing.orders in the %s does not exist", descriptor);
    }

    @Test
    void testJdbcCatalogDatabaseMissing()
    {
        Path database = directory.resolve("missing.db");
        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", database, directory.resolve("warehouse"));

        IcebergTables tables = tables(readingCatalogs(), LONG_TTL);
        assertThatThrownBy(() -> tables.snapshot(assetIn(descriptor, "sales", "orders"), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the %s has no database: %s does not exist", descriptor, database);
        // reading never creates a catalog
        assertThat(database).doesNotExist();
    }

    @Test
    void testRestCatalogWithoutAuthentication()
            throws Exception
    {
        Table table = remoteOrders("open", record(SCHEMA, 1L, "a"));

        IcebergCatalogDescriptor descriptor = remoteCatalog(Optional.empty(), Optional.empty());
        IcebergSnapshot snapshot = latest(descriptor, "open", "orders");
        assertThat(snapshot.table().name()).isEqualTo("remote.open.orders");
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).containsExactly(1L);

        assertThatThrownBy(() -> latest(descriptor, "open", "missing"))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the table open.missing in the %s does not exist", descriptor);
    }

    @Test
    void testCatalogNotDeclaredIsNotOpened()
            throws Exception
    {
        Table table = remoteOrders("undeclared", record(SCHEMA, 1L, "a"));
        IcebergCatalogDescriptor declared = remoteCatalog(Optional.empty(), Optional.empty());
        // the same address with a token the platform never gave: a catalog only a descriptor could have made up
        IcebergCatalogDescriptor madeUp = remoteCatalog(Optional.empty(), Optional.of(TOKEN));
        IcebergCatalogDescriptor otherDatabase = new IcebergCatalogDescriptor(IcebergCatalogDescriptor.Type.JDBC, "mesh", Optional.of("jdbc:postgresql://127.0.0.1:1/catalog"),
                Optional.empty(), Optional.empty(), Optional.empty(), ImmutableMap.of(), "test.yaml:1:1");

        int requests = restServer.requestCount();
        for (IcebergCatalogDescriptor catalog : List.of(madeUp, otherDatabase)) {
            assertThatThrownBy(() -> tables(readingCatalogs(declared), LONG_TTL).snapshot(assetIn(catalog, "undeclared", "orders"), TableVersion.LATEST))
                    .isInstanceOf(IcebergTableException.class)
                    .hasMessage("the %s is not declared by the platform; ask the platform to declare it with mesh.iceberg-catalog.<name>.* properties", catalog);
        }
        assertThat(restServer.requestCount()).isEqualTo(requests);
        assertThat(latest(declared, "undeclared", "orders").snapshotId())
                .contains(table.currentSnapshot().snapshotId());
    }

    @Test
    void testRestCatalogWithBearerToken()
            throws Exception
    {
        Table table = remoteOrders("token", record(SCHEMA, 1L, "a"), record(SCHEMA, 2L, "b"));
        restServer.setAuthentication(Authentication.bearerToken(TOKEN));

        IcebergCatalogDescriptor descriptor = remoteCatalog(Optional.empty(), Optional.of(TOKEN));
        IcebergSnapshot snapshot = latest(descriptor, "token", "orders");
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).containsExactlyInAnyOrder(1L, 2L);

        // no token or a wrong token: each says why and none shows a token
        List<String> messages = new ArrayList<>();
        IcebergCatalogDescriptor withoutToken = remoteCatalog(Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> latest(withoutToken, "token", "orders"))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("cannot open the %s: Not authorized: Authorization: Bearer <token> is required", withoutToken)
                .satisfies(failure -> messages.add(failure.getMessage()));
        IcebergCatalogDescriptor wrongToken = remoteCatalog(Optional.empty(), Optional.of("wrong-" + TOKEN));
        assertThatThrownBy(() -> latest(wrongToken, "token", "orders"))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("cannot open the %s: Not authorized: the bearer token is not valid", wrongToken)
                .satisfies(failure -> messages.add(failure.getMessage()));
        assertThat(messages).allSatisfy(message -> assertThat(message).doesNotContain(TOKEN));
    }

    @Test
    void testRestCatalogWithClientCredential()
            throws Exception
    {
        Table table = remoteOrders("oauth", record(SCHEMA, 1L, "a"));
        restServer.setAuthentication(Authentication.clientCredential(CLIENT_ID, CLIENT_SECRET));

        IcebergCatalogDescriptor descriptor = remoteCatalog(Optional.of(CLIENT_ID + ":" + CLIENT_SECRET), Optional.empty());
        IcebergSnapshot snapshot = latest(descriptor, "oauth", "orders");
        assertThat(snapshot.snapshotId()).contains(table.currentSnapshot().snapshotId());
        assertThat(ids(snapshot)).containsExactly(1L);

        // a wrong secret is refused where the token is requested; the message shows neither secret
        String wrongSecret = "wrong-" + CLIENT_SECRET;
        IcebergCatalogDescriptor wrongCredential = remoteCatalog(Optional.of(CLIENT_ID + ":" + wrongSecret), Optional.empty());
        assertThatThrownBy(() -> latest(wrongCredential, "oauth", "orders"))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot open the %s: ".formatted(wrongCredential))
                .hasMessageContaining("invalid_client")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain(CLIENT_SECRET).doesNotContain(wrongSecret));
    }

    @Test
    void testRestCatalogDown()
            throws Exception
    {
        Table table = remoteOrders("down", record(SCHEMA, 1L, "a"));
        IcebergCatalogDescriptor descriptor = remoteCatalog(Optional.empty(), Optional.empty());
        RegisteredAsset asset = assetIn(descriptor, "down", "orders");
        // every query looks again
        IcebergTables tables = tables(readingCatalogs(descriptor), Duration.ZERO);
        assertThat(tables.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(table.currentSnapshot().snapshotId());

        restServer.stop();
        // a catalog already open
        assertThatThrownBy(() -> tables.snapshot(asset, TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot load the table down.orders in the %s: ".formatted(descriptor))
                .hasMessageContaining("Connection refused");
        // a catalog opened while the endpoint is down
        assertThatThrownBy(() -> tables(readingCatalogs(descriptor), LONG_TTL).snapshot(asset, TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot open the %s: ".formatted(descriptor))
                .hasMessageContaining("Connection refused");

        restServer.start();
        assertThat(restServer.uri()).isEqualTo(URI.create(descriptor.uri().orElseThrow()));
        assertThat(tables.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(table.currentSnapshot().snapshotId());
    }

    @Test
    void testSnapshots()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, true);
        append(table, record(SCHEMA, 1L, "a"));
        Snapshot first = table.currentSnapshot();
        Schema firstSchema = table.schema();

        waitForNextMillisecond(first.timestampMillis());
        table.updateSchema().addColumn("amount", Types.DoubleType.get()).renameColumn("name", "customer").commit();
        append(table, record(table.schema(), 2L, "b", 2.5));
        Snapshot second = table.currentSnapshot();

        waitForNextMillisecond(second.timestampMillis());
        append(table, record(table.schema(), 3L, "c", 3.5));
        Snapshot third = table.currentSnapshot();
        table.manageSnapshots()
                .createTag("first-release", first.snapshotId())
                .createBranch("audit", second.snapshotId())
                .commit();

        IcebergTables tables = tables(LONG_TTL);
        RegisteredAsset asset = assetAt(location(folder));

        IcebergSnapshot latest = tables.snapshot(asset, TableVersion.LATEST);
        assertThat(latest.snapshotId()).contains(third.snapshotId());
        assertThat(latest.schema().columns()).extracting(Types.NestedField::name).containsExactly("id", "customer", "amount");
        assertThat(ids(latest)).containsExactlyInAnyOrder(1L, 2L, 3L);

        // an older snapshot is read with the schema it was written with
        IcebergSnapshot byId = tables.snapshot(asset, new TableVersion.AtVersion(first.snapshotId()));
        assertThat(byId.snapshotId()).contains(first.snapshotId());
        assertThat(byId.schema().asStruct()).isEqualTo(firstSchema.asStruct());
        assertThat(byId.schema().columns()).extracting(Types.NestedField::name).containsExactly("id", "name");
        assertThat(ids(byId)).containsExactly(1L);

        assertThat(tables.snapshot(asset, new TableVersion.AtVersion(second.snapshotId())).schema().columns())
                .extracting(Types.NestedField::name).containsExactly("id", "customer", "amount");

        // by time: the snapshot current then
        assertThat(tables.snapshot(asset, new TableVersion.AtTimestamp(first.timestampMillis())).snapshotId()).contains(first.snapshotId());
        assertThat(tables.snapshot(asset, new TableVersion.AtTimestamp(second.timestampMillis())).snapshotId()).contains(second.snapshotId());
        assertThat(tables.snapshot(asset, new TableVersion.AtTimestamp(third.timestampMillis() - 1)).snapshotId()).contains(second.snapshotId());
        assertThat(tables.snapshot(asset, new TableVersion.AtTimestamp(third.timestampMillis() + 60_000)).snapshotId()).contains(third.snapshotId());
        IcebergSnapshot atFirstTime = tables.snapshot(asset, new TableVersion.AtTimestamp(second.timestampMillis() - 1));
        assertThat(atFirstTime.snapshotId()).contains(first.snapshotId());
        assertThat(atFirstTime.schema().asStruct()).isEqualTo(firstSchema.asStruct());

        // by tag and branch
        IcebergSnapshot tagged = tables.snapshot(asset, new TableVersion.AtReference("first-release"));
        assertThat(tagged.snapshotId()).contains(first.snapshotId());
        assertThat(tagged.schema().asStruct()).isEqualTo(firstSchema.asStruct());
        assertThat(tables.snapshot(asset, new TableVersion.AtReference("audit")).snapshotId()).contains(second.snapshotId());
        assertThat(tables.snapshot(asset, new TableVersion.AtReference("main")).snapshotId()).contains(third.snapshotId());

        // what does not exist
        assertThatThrownBy(() -> tables.snapshot(asset, new TableVersion.AtTimestamp(first.timestampMillis() - 1)))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg table %s has no snapshot at or before %s", location(folder), Instant.ofEpochMilli(first.timestampMillis() - 1));
        assertThatThrownBy(() -> tables.snapshot(asset, new TableVersion.AtVersion(42)))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg table %s has no snapshot 42", location(folder));
        assertThatThrownBy(() -> tables.snapshot(asset, new TableVersion.AtReference("nightly")))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg table %s has no branch or tag 'nightly'", location(folder));
    }

    @Test
    void testMetadataCache()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table folderTable = createFolderTable(folder, SCHEMA, true);
        append(folderTable, record(SCHEMA, 1L, "a"));
        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", directory.resolve("catalog.db"), directory.resolve("warehouse"));
        Table catalogTable = createTable(writingCatalog(descriptor), "sales", "orders", SCHEMA);
        append(catalogTable, record(SCHEMA, 1L, "a"));

        IcebergCatalogs catalogs = readingCatalogs();
        openedCatalogs.add(catalogs);
        IcebergTables shortLived = new IcebergTables(StorageFileSystems.of(fileSystem), catalogs, Duration.ofMillis(400), 1_000);
        IcebergTables longLived = new IcebergTables(StorageFileSystems.of(fileSystem), catalogs, LONG_TTL, 1_000);
        for (TableAndAsset tableAndAsset : List.of(new TableAndAsset(folderTable, assetAt(location(folder))), new TableAndAsset(catalogTable, assetIn(descriptor, "sales", "orders")))) {
            Table table = tableAndAsset.table();
            RegisteredAsset asset = tableAndAsset.asset();
            long before = table.currentSnapshot().snapshotId();
            assertThat(shortLived.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(before);
            assertThat(longLived.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(before);

            append(table, record(SCHEMA, 2L, "b"));
            long after = table.currentSnapshot().snapshotId();
            // not seen before the time to live has passed
            assertThat(shortLived.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(before);
            assertThat(longLived.snapshot(asset, new TableVersion.AtVersion(before)).snapshotId()).contains(before);
            assertThatThrownBy(() -> longLived.snapshot(asset, new TableVersion.AtVersion(after)))
                    .isInstanceOf(IcebergTableException.class)
                    .hasMessageEndingWith("has no snapshot %s", after);

            Thread.sleep(500);
            IcebergSnapshot refreshed = shortLived.snapshot(asset, TableVersion.LATEST);
            assertThat(refreshed.snapshotId()).contains(after);
            assertThat(ids(refreshed)).containsExactlyInAnyOrder(1L, 2L);
            assertThat(longLived.snapshot(asset, TableVersion.LATEST).snapshotId()).contains(before);
        }
    }

    @Test
    void testMetadataFileMissing()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, true);
        append(table, record(SCHEMA, 1L, "a"));
        String metadataFile = currentMetadataFile(table);
        Files.delete(folder.resolve("metadata/v2.metadata.json"));

        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(Location.of(metadataFile)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg metadata file %s does not exist", metadataFile);

        // the catalog still names the file it committed last
        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", directory.resolve("catalog.db"), directory.resolve("warehouse"));
        Table catalogTable = createTable(writingCatalog(descriptor), "sales", "orders", SCHEMA);
        append(catalogTable, record(SCHEMA, 1L, "a"));
        String catalogMetadataFile = currentMetadataFile(catalogTable);
        Files.delete(Path.of(URI.create(catalogMetadataFile)));
        assertThatThrownBy(() -> tables(readingCatalogs(), LONG_TTL).snapshot(assetIn(descriptor, "sales", "orders"), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot load the table sales.orders in the %s: ".formatted(descriptor))
                .hasMessageContaining(Location.of(catalogMetadataFile).fileName());
    }

    @Test
    void testCorruptMetadataFile()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Table table = createFolderTable(folder, SCHEMA, false);
        append(table, record(SCHEMA, 1L, "a"));
        Files.writeString(folder.resolve("metadata/v3.metadata.json"), "{\"format-version\": 2, \"table-uuid\": ", UTF_8);

        Location metadataFile = location(folder.resolve("metadata/v3.metadata.json"));
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot read the Iceberg metadata file %s: ".formatted(metadataFile));

        Files.writeString(folder.resolve("metadata/v3.metadata.json"), "{\"format-version\": 2}", UTF_8);
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessageStartingWith("cannot read the Iceberg metadata file %s: ".formatted(metadataFile));
    }

    @Test
    void testFolderWithoutMetadata()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-0.parquet"), "PAR1");
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("%s holds no Iceberg table: there is no metadata file in %s", location(folder), location(folder.resolve("metadata")));

        Files.createDirectories(folder.resolve("metadata"));
        Files.writeString(folder.resolve("metadata/snap-1.avro"), "Obj");
        Files.writeString(folder.resolve("metadata/version-hint.text"), "1");
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("%s holds no Iceberg table: there is no metadata file in %s", location(folder), location(folder.resolve("metadata")));

        Path missing = directory.resolve("missing");
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(missing)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("%s holds no Iceberg table: there is no metadata file in %s", location(missing), location(missing.resolve("metadata")));
    }

    @Test
    void testFormatVersionThreeRejected()
            throws Exception
    {
        Path folder = directory.resolve("orders");
        createFolderTable(folder, SCHEMA, PartitionSpec.unpartitioned(), ImmutableMap.of(TableProperties.FORMAT_VERSION, "3"), true);
        assertThatThrownBy(() -> tables(LONG_TTL).snapshot(assetAt(location(folder)), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg table %s has format version 3; the mesh reads format versions 1 and 2", location(folder));

        IcebergCatalogDescriptor descriptor = jdbcCatalog("mesh", directory.resolve("catalog.db"), directory.resolve("warehouse"));
        createTable(writingCatalog(descriptor), "sales", "orders", SCHEMA, PartitionSpec.unpartitioned(), ImmutableMap.of(TableProperties.FORMAT_VERSION, "3"));
        assertThatThrownBy(() -> tables(readingCatalogs(), LONG_TTL).snapshot(assetIn(descriptor, "sales", "orders"), TableVersion.LATEST))
                .isInstanceOf(IcebergTableException.class)
                .hasMessage("the Iceberg table mesh.sales.orders has format version 3; the mesh reads format versions 1 and 2");
    }

    private record TableAndAsset(Table table, RegisteredAsset asset) {}

    /**
     * A table orders in the namespace of the REST server's catalog, with the rows appended.
     */
    private static Table remoteOrders(String namespace, Record... rows)
            throws IOException
    {
        Table table = createTable(restServer.backingCatalog(), namespace, "orders", SCHEMA);
        append(table, rows);
        return table;
    }

    /**
     * The REST server's catalog as the platform declares it, with a credential or token or neither.
     */
    private static IcebergCatalogDescriptor remoteCatalog(Optional<String> credential, Optional<String> token)
    {
        return restCatalog("remote", restServer.uri(), credential, token);
    }

    /**
     * The table's latest snapshot, read through the catalog, which the platform declares.
     */
    private IcebergSnapshot latest(IcebergCatalogDescriptor catalog, String namespace, String table)
            throws IcebergTableException
    {
        return tables(readingCatalogs(catalog), LONG_TTL).snapshot(assetIn(catalog, namespace, table), TableVersion.LATEST);
    }

    private IcebergTables tables(Duration metadataCacheTtl)
    {
        return tables(readingCatalogs(), metadataCacheTtl);
    }

    private IcebergTables tables(IcebergCatalogs catalogs, Duration metadataCacheTtl)
    {
        openedCatalogs.add(catalogs);
        return new IcebergTables(StorageFileSystems.of(fileSystem), catalogs, metadataCacheTtl, 1_000);
    }

    private Catalog writingCatalog(IcebergCatalogDescriptor descriptor)
            throws IcebergTableException
    {
        IcebergCatalogs catalogs = writingCatalogs();
        openedCatalogs.add(catalogs);
        return catalogs.catalog(descriptor);
    }

    private static RegisteredAsset assetAt(Location location)
    {
        return asset(Optional.of(location), Optional.empty());
    }

    private static RegisteredAsset assetIn(IcebergCatalogDescriptor catalog, String namespace, String table)
    {
        return asset(Optional.empty(), Optional.of(new CatalogTable(catalog, List.of(namespace.split("\\.")), table)));
    }

    private static RegisteredAsset asset(Optional<Location> location, Optional<CatalogTable> catalogTable)
    {
        DataAssetDescriptor asset = new DataAssetDescriptor(
                "orders",
                AssetFormat.ICEBERG,
                location.map(Location::toString),
                catalogTable.map(CatalogTable::name),
                catalogTable.map(table -> new IcebergCatalogReference.Platform(table.catalog().name(), SourcePosition.startOf(Path.of("sales-orders.yaml")))),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        DataProductDescriptor product = new DataProductDescriptor(
                Path.of("sales-orders.yaml"),
                "sales-orders",
                "sales",
                "sales-team",
                "1.0.0",
                Optional.empty(),
                ServiceLevel.NONE,
                List.of(asset),
                Optional.empty(),
                List.of(),
                Optional.empty());
        return new RegisteredAsset("sales", "orders", product, asset, location, catalogTable, Optional.empty());
    }

    /**
     * The ids of the rows of the snapshot, as Iceberg's generic reader reads them (deletes applied).
     */
    private static List<Long> ids(IcebergSnapshot snapshot)
    {
        if (snapshot.snapshot().isEmpty()) {
            return List.of();
        }
        ImmutableList.Builder<Long> ids = ImmutableList.builder();
        try (CloseableIterable<Record> records = IcebergGenerics.read(snapshot.table()).useSnapshot(snapshot.snapshotId().orElseThrow()).select("id").build()) {
            records.forEach(record -> ids.add((Long) record.getField("id")));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids.build();
    }

    private static void waitForNextMillisecond(long millis)
            throws InterruptedException
    {
        while (System.currentTimeMillis() <= millis) {
            Thread.sleep(1);
        }
    }
}
