package dev.datamesh.cli;

import dev.datamesh.sample.SampleMesh;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The self-service commands on a copy of the sample mesh with its data: validate (good and bad
 * input, exit codes), init on data of each format, and docs rendered and opened in headless
 * Chromium.
 */
@TestInstance(PER_CLASS)
final class TestMeshCli
{
    private Path temporary;
    private Path mesh;

    @BeforeAll
    void writeSampleMesh(@TempDir Path temporaryDirectory)
            throws IOException
    {
        temporary = temporaryDirectory;
        mesh = temporary.resolve("mesh");
        Path source = repositoryRoot().resolve("etc/mesh");
        for (String entry : List.of("products", "policies", "roles.yaml", "domains.yaml")) {
            copyTree(source.resolve(entry), mesh.resolve(entry));
        }
        SampleMesh.writeData(mesh.resolve("data"));
    }

    @Test
    void testValidateTheSample()
    {
        Result result = run("validate", mesh.resolve("products").toString(), "--roles", mesh.resolve("roles.yaml").toString(), "--policies", mesh.resolve("policies").toString());
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out()).isEqualTo("3 data products, 4 assets, 0 problems\n");
    }

    @Test
    void testValidateChecksWhatEachDomainMayPublish()
            throws IOException
    {
        String domains = mesh.resolve("domains.yaml").toString();
        assertThat(run("validate", mesh.resolve("products").toString(), "--domains", domains).out()).isEqualTo("3 data products, 4 assets, 0 problems\n");

        Path products = mesh.resolve("domain-products");
        copyTree(mesh.resolve("products"), products);
        // the same declarations for the copy's descriptor folders
        domains = Files.writeString(mesh.resolve("domain-products.yaml"), Files.readString(mesh.resolve("domains.yaml")).replace("[products/", "[domain-products/")).toString();
        Path audience = Files.writeString(Files.createDirectories(products.resolve("sales")).resolve("audience.yaml"), """
                name: audience-product
                domain: sales
                owner: sales-team
                version: 1.0.0
                data_assets:
                  - name: audience
                    format: parquet
                    location: ../../data/customer-service/customer_profile
                """);
        Result result = run("validate", products.toString(), "--domains", domains);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines().toList()).containsExactly(
                audience + ":8:15: location file://%s is not one of domain 'sales''s data locations (file://%s) declared in %s; publish the domain's own data, or ask the platform team to declare the location for the domain, or the owning domain to share its asset"
                        .formatted(mesh.resolve("data/customer-service/customer_profile"), mesh.resolve("data/sales"), domains),
                "3 data products, 4 assets, 1 problems");
    }

    @Test
    void testValidateReportsEveryProblemWithItsLine()
            throws IOException
    {
        Path products = mesh.resolve("bad-products");
        copyTree(mesh.resolve("products"), products);
        Path broken = Files.writeString(products.resolve("broken.yaml"), """
                name: broken-data-product
                domain: finance
                owner: finance-team
                version: 1.0.0
                data_assets:
                  - name: invoices
                    format: csv
                    location: /nowhere
                """);
        Path policies = Files.createDirectories(mesh.resolve("bad-policies"));
        Path policy = Files.writeString(policies.resolve("typo.yaml"), """
                column_masks:
                  - name: pii-hashed
                    columns: {tags: [pii]}
                    applies_to: {roles: [analysts]}
                    mask: hash
                """);
        Result result = run("validate", products.toString(), "--roles", mesh.resolve("roles.yaml").toString(), "--policies", policies.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        // in file order, then by line
        assertThat(result.out().lines().toList()).containsExactly(
                policy + ":4:26: role 'analysts' is not defined in the role mapping; did you mean 'analyst'? (roles: analyst, customer-service, data-scientist, logistics)",
                broken + ":7:13: 'data_assets[0].format' has unsupported value 'csv'; use one of: parquet, delta, iceberg",
                "3 data products, 4 assets, 2 problems");

        assertThat(run("validate").exitCode()).isEqualTo(2);
    }

    @Test
    void testValidateFindsNamesThatMatchNothing()
            throws IOException
    {
        // each of these would silently cover nothing: a guardrail that does not hold, a grant nobody has
        Path products = mesh.resolve("typo-products");
        copyTree(mesh.resolve("products"), products);
        Path sales = products.resolve("sales/order-data-product.yaml");
        Files.writeString(sales, Files.readString(sales).replace("  - role: analyst", "  - role: analysts"));
        Path policies = Files.createDirectories(mesh.resolve("typo-policies"));
        Path policy = Files.writeString(policies.resolve("typos.yaml"), """
                denials:
                  - name: by-schema-name
                    scope: {domains: [customer_service]}
                    applies_to: {groups: [contractors]}
                  - name: misspelt-product
                    scope: {products: [order-data-produkt]}
                    applies_to: {groups: [contractors]}
                column_masks:
                  - name: misspelt-tag
                    columns: {tags: [PI]}
                    mask: "null"
                  - name: spelt-in-capitals
                    columns: {tags: [PII]}
                    mask: "null"
                """);
        Result result = run("validate", products.toString(), "--roles", mesh.resolve("roles.yaml").toString(), "--policies", policies.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines().toList()).containsExactly(
                policy + ":2:1: rule 'by-schema-name' is scoped to domain 'customer_service', which no descriptor publishes, so it covers nothing; 'customer_service' is the schema of domain 'customer-service': scopes name domains as descriptors do",
                policy + ":5:1: rule 'misspelt-product' is scoped to data product 'order-data-produkt', which no descriptor publishes, so it covers nothing; did you mean 'order-data-product'?",
                policy + ":9:1: rule 'misspelt-tag' selects tag 'pi', which no column contract declares, so it covers no column; did you mean 'pii'?",
                sales + ":21:11: data product 'order-data-product' grants read to role 'analysts', which the role mapping does not define, so nobody holds that grant; did you mean 'analyst'?",
                "3 data products, 4 assets, 4 problems");
    }

    @Test
    void testValidateKnowsWhatThePlatformDeclares()
            throws IOException
    {
        Path products = Files.createDirectories(mesh.resolve("platform-products"));
        Path ledger = Files.writeString(products.resolve("ledger.yaml"), """
                name: ledger-data-product
                domain: finance
                owner: finance-team
                version: 1.0.0
                storage: finance
                iceberg_catalog: finance-lake
                data_assets:
                  - {name: entries, format: iceberg, table: ledger.entries}
                """);
        Result undeclared = run("validate", products.toString());
        assertThat(undeclared.exitCode()).isEqualTo(1);
        assertThat(undeclared.out().lines().toList()).containsExactly(
                ledger + ":5:10: storage profile 'finance' is not configured in the mesh catalog (none is configured); add mesh.storage.finance.s3.* properties to the catalog, or correct the name",
                ledger + ":6:18: Iceberg catalog 'finance-lake' is not declared in the mesh catalog (none is declared); ask the platform to declare it with mesh.iceberg-catalog.finance-lake.* properties, or correct the name",
                "0 data products, 0 assets, 2 problems");

        Result declared = run("validate", products.toString(), "--storage-profile", "finance", "--iceberg-catalog", "finance-lake", "--iceberg-catalog", "archive");
        assertThat(declared.exitCode()).as(declared.out()).isEqualTo(0);
        assertThat(declared.out()).isEqualTo("1 data products, 1 assets, 0 problems\n");

        // a catalog a descriptor may not declare itself, whatever the platform declares
        Files.writeString(ledger, Files.readString(ledger).replace("iceberg_catalog: finance-lake", "iceberg_catalog: {type: rest, uri: \"http://127.0.0.1:19998/api\"}"));
        Result refused = run("validate", products.toString(), "--storage-profile", "finance", "--iceberg-catalog", "finance-lake");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out().lines().toList()).containsExactly(
                ledger + ":6:25: 'iceberg_catalog.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; " +
                        "ask the platform to declare the catalog in the mesh catalog's properties (mesh.iceberg-catalog.<name>.*) and write iceberg_catalog: <name>",
                "0 data products, 0 assets, 1 problems");
    }

    @Test
    void testInitFromDataOfEachFormat()
            throws IOException
    {
        Path out = temporary.resolve("init");
        Result parquet = run("init", "--format", "parquet", "--location", mesh.resolve("data/sales/orders").toString(),
                "--name", "returns-data-product", "--domain", "returns", "--owner", "returns-team", "--out", out.toString());
        assertThat(parquet.exitCode()).as(parquet.err()).isEqualTo(0);
        assertThat(Files.readString(out.resolve("orders_schema.json")))
                .contains("{\"name\": \"order_id\", \"type\": \"bigint\"")
                .contains("{\"name\": \"amount\", \"type\": \"decimal(12,2)\"")
                // key=value folders of whole numbers
                .contains("{\"name\": \"order_year\", \"type\": \"integer\"");
        assertThat(Files.readString(out.resolve("returns-data-product.yaml")))
                .contains("location: ../mesh/data/sales/orders\n")
                .contains("schema: orders_schema.json\n");

        Result delta = run("init", "--format", "delta", "--location", mesh.resolve("data/customer-service/customer_orders").toString(),
                "--name", "web-orders-product", "--domain", "web", "--owner", "web-team", "--asset", "web_orders", "--out", out.toString());
        assertThat(delta.exitCode()).as(delta.err()).isEqualTo(0);
        assertThat(Files.readString(out.resolve("web_orders_schema.json")))
                .contains("{\"name\": \"order_id\", \"type\": \"bigint\", \"nullable\": false")
                .contains("{\"name\": \"order_time\", \"type\": \"timestamp(6) with time zone\"");

        Result iceberg = run("init", "--format", "iceberg", "--location", mesh.resolve("data/logistics/warehouse/logistics/shipments").toString(),
                "--name", "parcels-product", "--domain", "parcels", "--owner", "parcels-team", "--out", out.toString());
        assertThat(iceberg.exitCode()).as(iceberg.err()).isEqualTo(0);
        assertThat(Files.readString(out.resolve("shipments_schema.json")))
                .contains("{\"name\": \"shipment_id\", \"type\": \"bigint\", \"nullable\": false, \"description\": \"Shipment number\"")
                .contains("{\"name\": \"weight_kg\", \"type\": \"decimal(8,2)\"");

        // what init writes is a valid mesh as it is
        Result validation = run("validate", out.toString());
        assertThat(validation.out()).isEqualTo("3 data products, 3 assets, 0 problems\n");
        assertThat(validation.exitCode()).isEqualTo(0);

        Result again = run("init", "--format", "parquet", "--location", mesh.resolve("data/sales/orders").toString(),
                "--name", "returns-data-product", "--domain", "returns", "--owner", "returns-team", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo(out.resolve("returns-data-product.yaml") + " exists already; remove it or choose another --out\n");

        Result noData = run("init", "--format", "delta", "--location", temporary.resolve("nothing").toString(),
                "--name", "empty-product", "--domain", "empty", "--owner", "team", "--out", out.toString());
        assertThat(noData.exitCode()).isEqualTo(1);
        assertThat(noData.err()).startsWith("Cannot read the delta data at ");

        Result badFormat = run("init", "--format", "csv", "--location", "x", "--name", "n", "--domain", "d", "--owner", "o");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err()).isEqualTo("Unknown format 'csv': use parquet, delta or iceberg\n");
    }

    @Test
    void testDocsRenderedInABrowser()
            throws Exception
    {
        Path site = temporary.resolve("site");
        Result result = run("docs", mesh.resolve("products").toString(), "--roles", mesh.resolve("roles.yaml").toString(), "--policies", mesh.resolve("policies").toString(), "--out", site.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).isEqualTo("Wrote %s: 3 data products, 4 assets\n".formatted(site.resolve("index.html").toAbsolutePath()));

        String dom = renderedByChromium(site.resolve("index.html"));
        assertThat(dom)
                .contains("<p class=\"meta\" id=\"summary\">3 domains, 3 data products, 4 tables; generated ")
                // the browser put the rows of the access matrix in a tbody: it parsed the page
                .contains("<table id=\"access-matrix\"><tbody><tr><th>role</th><th>customer-data-product</th><th>shipment-data-product</th><th>order-data-product</th></tr>")
                .contains("<tr><th>analyst</th><td class=\"read\">read</td><td class=\"read\">read</td><td class=\"read\">read</td></tr>")
                .contains("<tr><th>logistics</th><td class=\"none\">-</td><td class=\"read\">read-write</td><td class=\"none\">-</td></tr>")
                .contains("<tr><th>owner team</th><td class=\"owner\">customer-data-team</td><td class=\"owner\">logistics-team</td><td class=\"owner\">sales-analytics-team</td></tr>")
                .contains("Global denials override these grants: <code>no-contractors-on-customer-data</code>.")
                .contains("<h2 id=\"domain-customer-service\">Domain customer-service</h2>")
                .contains("Owner: <b class=\"owner-name\">customer-data-team</b>. SLA: availability 99.9%, freshness 1 hour, support 24/7.")
                .contains("<tr><td>email</td><td>varchar</td><td>Contact e-mail address</td><td><span class=\"tag\">pii</span><span class=\"tag\">contact</span></td></tr>")
                // just written Parquet is fresh; the sample's Delta commits are dated 2025 and 2026
                .contains("<h4 id=\"table-customer_service.customer_profile\">customer_service.customer_profile</h4>")
                .containsPattern("parquet at <code>file://[^<]*/data/customer-service/customer_profile</code>, updated hourly. Freshness: <span class=\"status ok\">ok</span>")
                .containsPattern("delta at <code>[^<]*customer_orders</code>, updated daily. Freshness: <span class=\"status breached\">breached</span>, latest data 2026-01-01T00:00:00Z");
    }

    private static String renderedByChromium(Path page)
            throws IOException, InterruptedException
    {
        boolean installed = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").anyMatch(path -> Files.isExecutable(Path.of(path)));
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("Chromium is not installed; .ci/run installs Debian's chromium");
        }
        assumeTrue(installed, "Chromium is not installed (apt-get install chromium); the page is not opened in a browser");
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "/usr/bin/chromium-browser";
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(0);
        return dom;
    }

    private static Result run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = MeshCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}


    private static Path repositoryRoot()
    {
        Path current = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(current.resolve("etc/mesh/products"))) {
            current = current.getParent();
        }
        return current;
    }
}
