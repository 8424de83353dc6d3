package dev.datamesh.descriptor;

import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static com.google.common.base.Preconditions.checkArgument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestDescriptorParser
{
    private static final String ENVIRONMENT_MESSAGE = "'%s' contains ${ENV:...}: descriptors cannot read the server's environment; write the value itself, and leave secrets to the platform, " +
            "which declares storage profiles and Iceberg catalogs with their credentials in the mesh catalog's properties";
    // line numbers in the comments are those the tests expect in problems
    private static final String VALID = """
            # yaml-language-server: $schema=data-product.schema.json
            name: customer-data-product
            domain: customer-service
            owner: customer-data-team
            version: 1.0.0
            description: Every customer of the company.
            sla:
              availability: 99.9%
              freshness: 1 hour
              support: 24/7
            data_assets:
              - name: customer_profile
                format: parquet
                location: ../../data/customer-service/customer_profile
                schema: customer_profile_schema.json
                description: One row per customer.
                update_frequency: hourly
              - name: customer_orders
                format: delta
                location: s3://bucket/orders
            access_control:
              - role: data-scientist
                permissions: read
              - role: customer-service
                permissions: read-write
            """;

    @TempDir
    Path directory;

    @Test
    void testValidDescriptor()
            throws Exception
    {
        Path file = write("product.yaml", VALID);
        ParsedDescriptor parsed = DescriptorParser.parseDataProduct(file);
        DataProductDescriptor descriptor = parsed.descriptor();

        assertThat(descriptor.file()).isEqualTo(file);
        assertThat(descriptor.name()).isEqualTo("customer-data-product");
        assertThat(descriptor.domain()).isEqualTo("customer-service");
        assertThat(descriptor.owner()).isEqualTo("customer-data-team");
        assertThat(descriptor.version()).isEqualTo("1.0.0");
        assertThat(descriptor.description()).contains("Every customer of the company.");
        assertThat(descriptor.sla()).isEqualTo(new ServiceLevel(Optional.of("99.9%"), Optional.of("1 hour"), Optional.of("24/7")));
        assertThat(descriptor.dataAssets()).containsExactly(
                new DataAssetDescriptor(
                        "customer_profile",
                        AssetFormat.PARQUET,
                        Optional.of("../../data/customer-service/customer_profile"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("customer_profile_schema.json"),
                        Optional.of("One row per customer."),
                        Optional.of("hourly"),
                        Optional.empty()),
                new DataAssetDescriptor("customer_orders", AssetFormat.DELTA, Optional.of("s3://bucket/orders"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(descriptor.accessControl()).containsExactly(
                new AccessGrant("data-scientist", Permission.READ),
                new AccessGrant("customer-service", Permission.READ_WRITE));

        // positions kept for problems found later, e.g. by the registry
        assertThat(parsed.positionOf("domain")).isEqualTo(new SourcePosition(file, 3, 9));
        assertThat(parsed.positionOfAsset(0, "location")).isEqualTo(new SourcePosition(file, 14, 15));
        assertThat(parsed.positionOfAsset(1, "name")).isEqualTo(new SourcePosition(file, 18, 11));
    }

    @Test
    void testMinimalDescriptor()
            throws Exception
    {
        DataProductDescriptor descriptor = DescriptorParser.parseDataProduct(write("product.yaml", """
                ---
                name: orders
                domain: sales
                owner: sales-team
                version: "2"
                data_assets:
                  - {name: orders, format: iceberg, location: /srv/orders}
                """)).descriptor();
        assertThat(descriptor.version()).isEqualTo("2");
        assertThat(descriptor.description()).isEmpty();
        assertThat(descriptor.sla()).isEqualTo(ServiceLevel.NONE);
        assertThat(descriptor.accessControl()).isEmpty();
        assertThat(descriptor.dataAssets()).containsExactly(
                new DataAssetDescriptor("orders", AssetFormat.ICEBERG, Optional.of("/srv/orders"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void testIcebergCatalogTables()
            throws Exception
    {
        Path file = write("product.yaml", """
                name: logistics
                domain: logistics
                owner: logistics-team
                version: "1"
                iceberg_catalog:
                  type: jdbc
                  uri: jdbc:sqlite:catalog.db
                  warehouse: ../warehouse
                data_assets:
                  - {name: shipments, format: iceberg, table: logistics.shipments}
                  - name: parcels
                    format: iceberg
                    table: ops.eu.parcels
                    catalog: parcels-rest
                  - {name: returns, format: iceberg, table: ops.returns, catalog: {type: jdbc, name: returns}}
                """);
        DataProductDescriptor descriptor = DescriptorParser.parseDataProduct(file).descriptor();
        // the embedded default's catalog, kept in a SQLite file
        assertThat(descriptor.icebergCatalog()).contains(new IcebergCatalogReference.SqliteFile(
                "mesh",
                Optional.of("catalog.db"),
                new SourcePosition(file, 7, 8),
                Optional.of("../warehouse"),
                Optional.of(new SourcePosition(file, 8, 14)),
                new SourcePosition(file, 6, 3)));
        assertThat(descriptor.dataAssets().get(0).table()).contains("logistics.shipments");
        assertThat(descriptor.dataAssets().get(0).location()).isEmpty();
        assertThat(descriptor.dataAssets().get(0).catalog()).isEmpty();
        // a catalog the platform declares, by its name
        assertThat(descriptor.dataAssets().get(1).catalog()).contains(new IcebergCatalogReference.Platform("parcels-rest", new SourcePosition(file, 14, 14)));
        // without uri: iceberg_catalog.db beside the descriptor
        assertThat(descriptor.dataAssets().get(2).catalog()).hasValueSatisfying(catalog -> assertThat(catalog).isInstanceOfSatisfying(IcebergCatalogReference.SqliteFile.class, sqlite -> {
            assertThat(sqlite.catalogName()).isEqualTo("returns");
            assertThat(sqlite.database()).isEmpty();
            assertThat(sqlite.warehouse()).isEmpty();
        }));
    }

    @Test
    void testCatalogsThatReachServersOrHoldSecretsArePlatformOnly()
    {
        String product = """
                name: logistics
                domain: logistics
                owner: logistics-team
                version: "1"
                data_assets:
                  - name: a
                    format: iceberg
                    table: ops.a
                """;
        String askThePlatform = "ask the platform to declare the catalog in the mesh catalog's properties (mesh.iceberg-catalog.<name>.*) and write catalog: <name>";
        // the exfiltration of issue 14: an address of the descriptor's choosing, and a server secret sent to it
        assertProblems(product + """
                    catalog: {type: rest, uri: "http://127.0.0.1:19998/api", token: "${ENV:DATA_MESH_HOME}"}
                """,
                "9:69: " + ENVIRONMENT_MESSAGE.formatted("data_assets[0].catalog.token"),
                "9:21: 'data_assets[0].catalog.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; " + askThePlatform,
                "9:62: 'data_assets[0].catalog.token' is not allowed in a descriptor: credentials and catalog properties belong to the platform; " + askThePlatform);
        // a REST catalog without any secret is the platform's too: the server would connect where the descriptor says
        assertProblems(product + "    catalog: {type: rest, uri: \"http://127.0.0.1:19998/api\"}\n",
                "9:21: 'data_assets[0].catalog.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; " + askThePlatform);
        for (String uri : List.of("jdbc:postgresql://db.internal:5432/iceberg", "jdbc:mysql://127.0.0.1:19998/x", "jdbc:h2:tcp://127.0.0.1/x")) {
            assertProblems(product + "    catalog: {type: jdbc, uri: \"%s\"}\n".formatted(uri),
                    "9:32: 'data_assets[0].catalog.uri' is not a SQLite file: a descriptor may keep its own catalog only in a SQLite file (jdbc:sqlite:<path>, relative to this descriptor or absolute); for a catalog in another database, " + askThePlatform);
        }
        // SQLite URLs that are no plain file: options reach the driver
        for (String uri : List.of("jdbc:sqlite::memory:", "jdbc:sqlite:file:catalog.db?mode=ro", "jdbc:sqlite:catalog.db?enable_load_extension=true", "jdbc:sqlite::resource:catalog.db", "jdbc:sqlite:")) {
            assertProblems(product + "    catalog: {type: jdbc, uri: \"%s\"}\n".formatted(uri),
                    "9:32: 'data_assets[0].catalog.uri' must be jdbc:sqlite: followed by the path of the database file, relative to this descriptor or absolute, without options ('?'), ':memory:', ':resource:' or 'file:' URIs");
        }
        assertProblems(product + """
                    catalog:
                      type: jdbc
                      uri: jdbc:sqlite:catalog.db
                      credential: client:secret
                      properties: {jdbc.user: iceberg}
                """,
                "12:7: 'data_assets[0].catalog.credential' is not allowed in a descriptor: credentials and catalog properties belong to the platform; " + askThePlatform,
                "13:7: 'data_assets[0].catalog.properties' is not allowed in a descriptor: credentials and catalog properties belong to the platform; " + askThePlatform);
        // the product's catalog: the same, with the product's field
        assertProblems(product.replace("data_assets:\n", "iceberg_catalog: {type: rest, uri: \"http://127.0.0.1:19998/api\"}\ndata_assets:\n"),
                "5:25: 'iceberg_catalog.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; " +
                        "ask the platform to declare the catalog in the mesh catalog's properties (mesh.iceberg-catalog.<name>.*) and write iceberg_catalog: <name>");
    }

    @Test
    void testNoEnvironmentReferences()
            throws IOException
    {
        // wherever it is, in any value or key: nothing in a descriptor is substituted
        assertProblems(VALID
                        .replace("description: Every customer of the company.", "description: \"Owned by ${ENV:USER}\"")
                        .replace("location: ../../data/customer-service/customer_profile", "location: ../../data/${ENV:HOME}/profile"),
                "6:14: " + ENVIRONMENT_MESSAGE.formatted("description"),
                "14:15: " + ENVIRONMENT_MESSAGE.formatted("data_assets[0].location"));
        assertProblems(VALID.replace("sla:\n", "sla:\n  ${ENV:X}: a\n"),
                "8:3: unknown field '${ENV:X}' (allowed here: availability, freshness, support)",
                "8:3: " + ENVIRONMENT_MESSAGE.formatted("sla.${ENV:X}"));
        // and the column contracts
        Path schema;
        try {
            schema = write("schema.json", """
                    {"columns": [{"name": "id", "type": "bigint", "description": "from ${ENV:AWS_SECRET_ACCESS_KEY}"}]}
                    """);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(assetSchemaProblems(schema)).containsExactly(new DescriptorProblem(new SourcePosition(schema, 1, 62), ENVIRONMENT_MESSAGE.formatted("columns[0].description")));
    }

    /**
     * A descriptor with problems, each reported as "line:column: message", in the order reported.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptorsWithProblems")
    void testProblems(String descriptor, String yaml, String[] expected)
    {
        assertProblems(yaml, expected);
    }

    private static Stream<Arguments> descriptorsWithProblems()
    {
        String icebergProduct = """
                name: logistics
                domain: logistics
                owner: logistics-team
                version: "1"
                data_assets:
                """;
        return Stream.of(
                // invalid YAML
                edit("indented deeper than the asset's other keys: the line is read as the continuation of \"customer_profile\"",
                        "    format: parquet", "      format: parquet",
                        "13:13: invalid YAML: mapping values are not allowed here"),
                edit("indented less than the asset's other keys",
                        "    format: parquet", "   format: parquet",
                        "13:4: invalid YAML: expected <block end>, but found '<block mapping start>' while parsing a block collection that starts at line 12"),
                edit("indented with a tab",
                        "domain: customer-service", "\tdomain: customer-service",
                        "3:1: invalid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) while scanning for the next token"),
                // the parser only notices at the end of the file; the problem is where the quote opens
                edit("an unclosed quote is reported where it opens",
                        "owner: customer-data-team", "owner: \"customer-data-team",
                        "4:8: invalid YAML: found unexpected end of stream while scanning a quoted scalar; it starts here and is not closed before the end of the file"),
                document("an unclosed flow mapping is reported where it opens",
                        "name: x\nsla: {availability: 99%\n",
                        "2:6: invalid YAML: expected ',' or '}', but got <stream end> while parsing a flow mapping; it starts here and is not closed before the end of the file"),
                // unknown and missing fields
                edit("a misspelt top-level field",
                        "owner:", "ownr:",
                        "2:1: missing required field 'owner' in the data product",
                        "4:1: unknown field 'ownr'; did you mean 'owner'? (allowed here: name, domain, owner, version, description, sla, data_assets, storage, iceberg_catalog, access_control)"),
                document("an unknown top-level field",
                        VALID + "tags: [customers]\n",
                        "26:1: unknown field 'tags' (allowed here: name, domain, owner, version, description, sla, data_assets, storage, iceberg_catalog, access_control)"),
                edit("an unknown field in a data asset",
                        "    update_frequency: hourly\n", "    update_frequency: hourly\n    partitioning: daily\n",
                        "18:5: unknown field 'partitioning' (allowed here: name, format, location, table, catalog, schema, description, update_frequency, storage, shared_from, shared_with)"),
                edit("a misspelt field in a data asset",
                        "    format: delta", "    fromat: delta",
                        "18:5: missing required field 'format' in data_assets[1]",
                        "19:5: unknown field 'fromat'; did you mean 'format'? (allowed here: name, format, location, table, catalog, schema, description, update_frequency, storage, shared_from, shared_with)"),
                edit("a misspelt field of the sla",
                        "  availability:", "  availabilty:",
                        "8:3: unknown field 'availabilty'; did you mean 'availability'? (allowed here: availability, freshness, support)"),
                // reported at the start of the mapping that lacks it
                edit("a missing field of the product",
                        "owner: customer-data-team\n", "",
                        "2:1: missing required field 'owner' in the data product"),
                edit("a data asset without location",
                        "    location: s3://bucket/orders\n", "",
                        "18:5: data asset 'customer_orders' has no location: give the file or folder of its data"),
                edit("a grant without permissions",
                        "    permissions: read-write\n", "",
                        "24:5: missing required field 'permissions' in access_control[1]"),
                // values of the wrong type; the hint repeats what was written, not the number YAML made of it
                edit("a version that YAML reads as a number",
                        "version: 1.0.0", "version: 1.0",
                        "5:10: 'version' must be a string, found number; quote it: \"1.0\""),
                edit("a version whose number drops a digit",
                        "version: 1.0.0", "version: 1.10",
                        "5:10: 'version' must be a string, found number; quote it: \"1.10\""),
                edit("a version that YAML reads as an integer",
                        "version: 1.0.0", "version: 2",
                        "5:10: 'version' must be a string, found integer; quote it: \"2\""),
                edit("an owner that YAML reads as a boolean",
                        "owner: customer-data-team", "owner: no",
                        "4:8: 'owner' must be a string, found boolean; quote it: \"no\""),
                edit("an empty version",
                        "version: 1.0.0", "version:",
                        "5:9: 'version' must be a string, found null"),
                document("data assets that are no list",
                        VALID.substring(0, VALID.indexOf("data_assets:")) + "data_assets: customer_profile\n",
                        "11:14: 'data_assets' must be a list, found string"),
                document("an sla that is no mapping",
                        VALID.replace("sla:\n", "sla: high\n").replaceAll("(?m)^  (availability|freshness|support):.*\n", ""),
                        "7:6: 'sla' must be a mapping, found string"),
                document("a product that is no mapping",
                        "- name: customer-data-product\n- domain: customer-service\n",
                        "1:1: the data product must be a mapping, found array"),
                // values out of their range
                edit("a freshness in business days",
                        "freshness: 1 hour", "freshness: 1 business day",
                        "9:14: 'sla.freshness' value '1 business day' is not a duration the mesh can measure; write e.g. " + Freshness.EXAMPLES),
                edit("a freshness in months",
                        "freshness: 1 hour", "freshness: 1 month",
                        "9:14: 'sla.freshness' value '1 month' is not a duration the mesh can measure; write e.g. " + Freshness.EXAMPLES),
                edit("an unknown format",
                        "format: parquet", "format: orc",
                        "13:13: 'data_assets[0].format' has unsupported value 'orc'; use one of: parquet, delta, iceberg"),
                edit("a format in capitals: formats are lower case",
                        "format: delta", "format: Delta",
                        "19:13: 'data_assets[1].format' has unsupported value 'Delta'; use one of: parquet, delta, iceberg"),
                edit("an unknown permission",
                        "permissions: read\n", "permissions: write\n",
                        "23:18: 'access_control[0].permissions' has unsupported value 'write'; use one of: read, read-write"),
                edit("permissions as a list",
                        "permissions: read\n", "permissions: [read]\n",
                        "23:18: 'access_control[0].permissions' has unsupported value '[\"read\"]'; use one of: read, read-write"),
                edit("an asset name that is no table name",
                        "name: customer_orders", "name: customer-orders",
                        "18:11: 'data_assets[1].name' value 'customer-orders' is not a valid name: it must match ^[A-Za-z_][A-Za-z0-9_]*$"),
                edit("an empty version string",
                        "version: 1.0.0", "version: ''",
                        "5:10: 'version' must be at least 1 characters long"),
                // what a file may hold once
                edit("asset names that differ in case: they become table names, which Trino compares in lower case",
                        "name: customer_orders", "name: Customer_Profile",
                        "18:11: data asset 'Customer_Profile' is declared twice in this product (first at line 12); asset names become table names and must be unique"),
                edit("a key of the product given twice",
                        "description: Every customer of the company.", "description: Every customer of the company.\nowner: someone-else",
                        "7:1: 'owner' is given twice; keep one"),
                edit("a key of an asset given twice",
                        "    location: s3://bucket/orders", "    location: s3://bucket/orders\n    format: parquet",
                        "21:5: 'format' is given twice; keep one"),
                document("an empty file",
                        "",
                        "1:1: file is empty; expected a mapping with name, domain, owner, version and data_assets"),
                document("a file of comments and blank lines",
                        "# nothing yet\n\n",
                        "1:1: file is empty; expected a mapping with name, domain, owner, version and data_assets"),
                // reported where the second document's content starts (line 26 is the ---, line 27 its comment)
                document("two documents in a file",
                        VALID + "---\n" + VALID.replace("customer-data-product", "other-product"),
                        "28:1: file holds more than one YAML document; put each data product in its own file"),
                document("every problem of a file",
                        VALID.replace("version: 1.0.0", "version: 1.0").replace("format: parquet", "format: orc").replace("permissions: read-write", "permissions: admin"),
                        "5:10: 'version' must be a string, found number; quote it: \"1.0\"",
                        "13:13: 'data_assets[0].format' has unsupported value 'orc'; use one of: parquet, delta, iceberg",
                        "25:18: 'access_control[1].permissions' has unsupported value 'admin'; use one of: read, read-write"),
                // Iceberg tables in catalogs
                document("a table name without namespace",
                        icebergProduct + "  - {name: a, format: iceberg, table: shipments}\n",
                        "6:39: 'data_assets[0].table' value 'shipments' is not a catalog table name: write namespace.table, e.g. sales.orders"),
                document("a table in no catalog",
                        icebergProduct + "  - {name: a, format: iceberg, table: ops.shipments}\n",
                        "6:39: data asset 'a' names table 'ops.shipments' but no catalog holds it: add catalog: to the asset or iceberg_catalog: to the product"),
                document("an Iceberg asset without location or table",
                        icebergProduct + "  - {name: a, format: iceberg}\n",
                        "6:5: data asset 'a' has no location: give the file or folder of its data, or table: namespace.table for a table in an Iceberg catalog"),
                document("a Delta asset with location and table",
                        icebergProduct + "  - {name: a, format: delta, table: ops.a, location: /x, catalog: {type: jdbc}}\n",
                        "6:37: data asset 'a' has both location: and table:; give the location of the table or its name in a catalog, not both",
                        "6:37: table: names a table in an Iceberg catalog, but data asset 'a' has format delta; use location: instead"),
                document("a catalog for an asset found by its location",
                        icebergProduct + "  - {name: a, format: iceberg, location: /x, catalog: {type: jdbc}}\n",
                        "6:46: catalog: is used with table: only; data asset 'a' is found by its location"),
                document("a catalog of an unknown type",
                        icebergProduct + "  - {name: a, format: iceberg, table: ops.a, catalog: {type: hive}}\n",
                        "6:62: 'data_assets[0].catalog.type' has unsupported value 'hive'; use one of: jdbc, rest"),
                document("a catalog name in capitals",
                        icebergProduct + "  - {name: a, format: iceberg, table: ops.a, catalog: Parcels}\n",
                        "6:55: 'data_assets[0].catalog' value 'Parcels' is not a valid name: it must match ^[a-z0-9][a-z0-9_-]*$"));
    }

    @Test
    void testFreshnessDurations()
            throws Exception
    {
        for (String freshness : new String[] {"daily", "PT1H", "1.5 hours", "1h30m"}) {
            ParsedDescriptor parsed = DescriptorParser.parseDataProduct(write("product.yaml", VALID.replace("freshness: 1 hour", "freshness: " + freshness)));
            assertThat(parsed.descriptor().sla().freshness()).contains(freshness);
        }
    }

    @Test
    void testLeadingDocumentMarker()
            throws Exception
    {
        assertThat(DescriptorParser.parseDataProduct(write("product.yaml", "---\n" + VALID)).descriptor().name()).isEqualTo("customer-data-product");
    }

    @Test
    void testValidAssetSchema()
            throws Exception
    {
        Path file = write("schema.json", """
                {
                  "description": "Customer profile",
                  "columns": [
                    {"name": "customer_id", "type": "bigint", "nullable": false},
                    {"name": "email", "type": "varchar", "description": "Contact", "tags": ["pii", "contact"]}
                  ]
                }
                """);
        AssetSchema schema = DescriptorParser.parseAssetSchema(file);
        assertThat(schema.file()).isEqualTo(file);
        assertThat(schema.description()).contains("Customer profile");
        assertThat(schema.columns()).containsExactly(
                new DeclaredColumn("customer_id", "bigint", Optional.empty(), false, List.of(), new SourcePosition(file, 4, 5)),
                new DeclaredColumn("email", "varchar", Optional.of("Contact"), true, List.of("pii", "contact"), new SourcePosition(file, 5, 5)));
        assertThat(schema.column("EMAIL")).isEqualTo(Optional.of(schema.columns().get(1)));
        assertThat(schema.column("phone")).isEmpty();
    }

    @Test
    void testAssetSchemaDuplicateColumn()
            throws IOException
    {
        Path file = write("schema.json", """
                {"columns": [
                  {"name": "id", "type": "bigint"},
                  {"name": "ID", "type": "bigint"}
                ]}
                """);
        assertThat(assetSchemaProblems(file)).containsExactly(new DescriptorProblem(new SourcePosition(file, 3, 3), "column 'ID' is declared twice (first at line 2)"));
    }

    @Test
    void testAssetSchemaMissingType()
            throws IOException
    {
        Path file = write("schema.json", """
                {"columns": [
                  {"name": "id", "type": "bigint"},
                  {"name": "email"}
                ]}
                """);
        assertThat(assetSchemaProblems(file)).containsExactly(new DescriptorProblem(new SourcePosition(file, 3, 3), "missing required field 'type' in columns[1]"));
        assertThatThrownBy(() -> DescriptorParser.parseAssetSchema(file))
                .isInstanceOf(DescriptorException.class)
                .hasMessage(file + ":3:3: missing required field 'type' in columns[1]");
    }

    @Test
    void testAssetSchemaSyntaxError()
            throws IOException
    {
        Path file = write("schema.json", """
                {"columns": [
                  {"name": "id", "type": "bigint"}
                }
                """);
        assertThat(assetSchemaProblems(file)).singleElement().satisfies(problem -> {
            assertThat(problem.position()).isEqualTo(new SourcePosition(file, 3, 1));
            assertThat(problem.message()).startsWith("invalid YAML: expected ',' or ']', but got }");
        });
    }

    /**
     * VALID with one change.
     */
    private static Arguments edit(String descriptor, String from, String to, String... expected)
    {
        checkArgument(VALID.contains(from), "VALID has no %s", from);
        return document(descriptor, VALID.replace(from, to), expected);
    }

    private static Arguments document(String descriptor, String yaml, String... expected)
    {
        return Arguments.of(descriptor, yaml, expected);
    }

    /**
     * Asserts the problems of the descriptor, each as "line:column: message", in the order reported.
     */
    private void assertProblems(String yaml, String... expected)
    {
        Path file;
        try {
            file = write("product.yaml", yaml);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        List<DescriptorProblem> problems;
        try {
            DescriptorParser.parseDataProduct(file);
            throw new AssertionError("descriptor was accepted:\n" + yaml);
        }
        catch (DescriptorException e) {
            problems = e.problems();
        }
        assertThat(problems).extracting(DescriptorProblem::position).extracting(SourcePosition::file).containsOnly(file);
        assertThat(problems)
                .extracting(problem -> problem.position().line() + ":" + problem.position().column() + ": " + problem.message())
                .containsExactly(expected);
    }

    private static List<DescriptorProblem> assetSchemaProblems(Path file)
    {
        try {
            DescriptorParser.parseAssetSchema(file);
        }
        catch (DescriptorException e) {
            return e.problems();
        }
        throw new AssertionError("asset schema was accepted: " + file);
    }

    private Path write(String name, String content)
            throws IOException
    {
        return Files.writeString(directory.resolve(name), content);
    }
}
