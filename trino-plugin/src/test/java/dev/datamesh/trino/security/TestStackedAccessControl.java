package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.plugin.base.security.FileBasedSystemAccessControl;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mesh's control stacked with Trino's own file-based control, as
 * access-control.config-files=etc/access-control.properties,etc/rules.properties does: a query
 * must pass both, and neither loosens the other.
 */
public class TestStackedAccessControl
        extends AbstractTestQueryFramework
{
    private static final Customer FIRST = SampleMesh.customers().getFirst();

    private GovernedMeshRunner mesh;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path rules = Files.createTempFile(TestFiles.temporaryDirectory("trino-rules"), "rules", ".json");
        Files.writeString(rules, """
                {
                  "catalogs": [
                    {"catalog": "memory", "allow": "none"},
                    {"allow": "all"}
                  ],
                  "tables": [
                    {"user": "alice", "catalog": "mesh", "schema": "sales", "privileges": []},
                    {"privileges": ["SELECT"]}
                  ]
                }
                """);
        mesh = GovernedMeshRunner.create(
                SampleMeshDirectory.create(),
                ImmutableMap.of(),
                "5s",
                ImmutableList.of(new FileBasedSystemAccessControl.Factory().create(ImmutableMap.of("security.config-file", rules.toString()), null)));
        return mesh.queryRunner();
    }

    @Test
    public void testBothControlsApply()
    {
        // Trino's rules deny what the mesh allows
        assertQueryFails(mesh.sessionOf("alice"), "SELECT count(*) FROM sales.orders", Pattern.quote("Access Denied: Cannot select from table mesh.sales.orders"));
        assertThat(computeActual(mesh.sessionOf("dora"), "SELECT count(*) FROM sales.orders").getOnlyValue()).isEqualTo((long) SampleMesh.ORDER_COUNT);
        assertThat(computeActual(mesh.sessionOf("alice"), "SHOW CATALOGS").getOnlyColumnAsSet()).doesNotContain("memory").contains("mesh");
        // the mesh's masks and denials still hold where Trino's rules allow
        assertThat(computeActual(mesh.sessionOf("alice"), "SELECT email FROM customer_profile WHERE customer_id = " + FIRST.customerId()).getOnlyValue())
                .isEqualTo(Hashing.sha256().hashString(FIRST.email(), UTF_8).toString());
        assertQueryFails(mesh.sessionOf("eve"), "SELECT count(*) FROM customer_profile",
                Pattern.quote("Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)"));
    }
}
