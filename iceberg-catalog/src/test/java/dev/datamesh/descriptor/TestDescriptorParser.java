package dev.datamesh.descriptor;

import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestDescriptorParser
{
    private static final String VALID = """
            name: customer-data-product
            domain: customer-service
            owner: customer-data-team
            version: 1.0.0
            description: Customers
            sla: {availability: 99.9%, freshness: 1 hour, support: 24/7}
            data_assets:
              - name: customer_profile
                format: parquet
                location: data/profile
                schema: profile_schema.json
                update_frequency: hourly
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
        DataProductDescriptor descriptor = DescriptorParser.parseDataProduct(write("product.yaml", VALID)).descriptor();
        assertThat(descriptor.name()).isEqualTo("customer-data-product");
        assertThat(descriptor.domain()).isEqualTo("customer-service");
        assertThat(descriptor.owner()).isEqualTo("customer-data-team");
        assertThat(descriptor.version()).isEqualTo("1.0.0");
        assertThat(descriptor.description()).contains("Customers");
        assertThat(descriptor.sla()).isEqualTo(new ServiceLevel(Optional.of("99.9%"), Optional.of("1 hour"), Optional.of("24/7")));
        assertThat(descriptor.dataAssets()).containsExactly(new DataAssetDescriptor(
                "customer_profile", AssetFormat.PARQUET, "data/profile", Optional.of("profile_schema.json"), Optional.empty(), Optional.of("hourly")));
        assertThat(descriptor.accessControl()).containsExactly(
                new AccessGrant("data-scientist", Permission.READ),
                new AccessGrant("customer-service", Permission.READ_WRITE));
    }

    @Test
    void testYamlSyntaxError()
    {
        assertProblem(VALID.replace("    location: data/profile", "     location: data/profile"),
                10, "invalid YAML: mapping values are not allowed here");
    }

    @Test
    void testUnknownFieldSuggestsTheRightOne()
    {
        assertProblem(VALID.replace("owner:", "ownr:"), 3, 1,
                "unknown field 'ownr'; did you mean 'owner'? (allowed here: name, domain, owner, version, description, sla, data_assets, access_control)");
    }

    @Test
    void testUnknownFieldInAsset()
    {
        assertProblem(VALID.replace("    update_frequency: hourly", "    update_frequency: hourly\n    partitioning: daily"), 13, 5,
                "unknown field 'partitioning' (allowed here: name, format, location, schema, description, update_frequency)");
    }

    @Test
    void testMissingRequiredField()
    {
        assertProblem(VALID.replace("owner: customer-data-team\n", ""), 1, 1, "missing required field 'owner' in the data product");
        assertProblem(VALID.replace("    location: data/profile\n", ""), 8, 5, "missing required field 'location' in data_assets[0]");
    }

    @Test
    void testWrongTypes()
    {
        assertProblem(VALID.replace("version: 1.0.0", "version: 1.0"), 4, 10, "'version' must be a string, found number; quote it: \"1.0\"");
        assertProblem(VALID.substring(0, VALID.indexOf("data_assets:")) + "data_assets: profile\n", 7, 14, "'data_assets' must be a list, found string");
    }

    @Test
    void testUnknownFormatAndPermission()
    {
        assertProblem(VALID.replace("format: parquet", "format: orc"), 9, 13, "'data_assets[0].format' has unsupported value 'orc'; use one of: parquet, delta, iceberg");
        assertProblem(VALID.replace("permissions: read\n", "permissions: write\n"), 15, 18, "'access_control[0].permissions' has unsupported value 'write'; use one of: read, read-write");
    }

    @Test
    void testDuplicateAssetAndDuplicateKey()
    {
        String twoAssets = VALID.replace("access_control:", """
                  - name: Customer_Profile
                    format: delta
                    location: data/other
                access_control:""");
        assertProblem(twoAssets, 13, 11, "data asset 'Customer_Profile' is declared twice in this product (first at line 8)");
        assertProblem(VALID.replace("description: Customers", "description: Customers\nowner: someone-else"), 6, 1, "'owner' is given twice; keep one");
    }

    @Test
    void testEmptyFileAndSeveralDocuments()
    {
        assertProblem("", 1, 1, "file is empty");
        assertProblem(VALID + "---\n" + VALID, 19, 1, "file holds more than one YAML document");
    }

    @Test
    void testAssetSchema()
            throws Exception
    {
        AssetSchema schema = DescriptorParser.parseAssetSchema(write("schema.json", """
                {
                  "columns": [
                    {"name": "customer_id", "type": "bigint", "nullable": false},
                    {"name": "email", "type": "varchar", "description": "Contact", "tags": ["pii"]}
                  ]
                }
                """));
        assertThat(schema.columns()).extracting(DeclaredColumn::name).containsExactly("customer_id", "email");
        assertThat(schema.column("EMAIL").orElseThrow().tags()).containsExactly("pii");
        assertThat(schema.column("email").orElseThrow().position().line()).isEqualTo(4);
        assertThat(schema.column("customer_id").orElseThrow().nullable()).isFalse();

        assertThatThrownBy(() -> DescriptorParser.parseAssetSchema(write("duplicate.json", """
                {"columns": [
                  {"name": "id", "type": "bigint"},
                  {"name": "ID", "type": "bigint"}
                ]}
                """)))
                .isInstanceOf(DescriptorException.class)
                .hasMessageEndingWith("duplicate.json:3:3: column 'ID' is declared twice (first at line 2)");
        assertThatThrownBy(() -> DescriptorParser.parseAssetSchema(write("untyped.json", """
                {"columns": [
                  {"name": "id"}
                ]}
                """)))
                .isInstanceOf(DescriptorException.class)
                .hasMessageEndingWith("untyped.json:2:3: missing required field 'type' in columns[0]");
    }

    private void assertProblem(String yaml, int line, String message)
    {
        List<DescriptorProblem> problems = problems(yaml);
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.position().line()).isEqualTo(line);
            assertThat(problem.message()).startsWith(message);
        });
    }

    private void assertProblem(String yaml, int line, int column, String message)
    {
        List<DescriptorProblem> problems = problems(yaml);
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.position().file().getFileName().toString()).isEqualTo("product.yaml");
            assertThat(problem.position().line()).as(problem.toString()).isEqualTo(line);
            assertThat(problem.position().column()).as(problem.toString()).isEqualTo(column);
            assertThat(problem.message()).startsWith(message);
        });
    }

    private List<DescriptorProblem> problems(String yaml)
    {
        try {
            DescriptorParser.parseDataProduct(write("product.yaml", yaml));
        }
        catch (DescriptorException e) {
            return e.problems();
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("descriptor was accepted:\n" + yaml);
    }

    private Path write(String name, String content)
            throws IOException
    {
        return Files.writeString(directory.resolve(name), content);
    }
}
