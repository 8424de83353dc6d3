package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.Permission;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.trino.audit.AuditTrail;
import io.trino.plugin.base.security.DefaultSystemAccessControl;
import io.trino.plugin.base.security.ReadOnlySystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access control's handling of catalogs other than the mesh in each configured mode, and of
 * names the mesh does not serve.
 */
final class TestMeshAccessControl
{
    private static final GovernedAsset ORDERS = new GovernedAsset("sales", "order-data-product", "orders", "sales-team",
            ImmutableList.of(new AccessGrant("analyst", Permission.READ)), ImmutableMap.of());
    private static final GovernedMesh MESH = new GovernedMesh(
            1,
            new PolicyEvaluator(new GlobalPolicy(
                    new RoleMapping(ImmutableMap.of("analyst", new RoleMapping.Members(ImmutableSet.of("alice"), ImmutableSet.of())), ImmutableMap.of(), ImmutableMap.of()),
                    ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of())),
            ImmutableMap.of(new SchemaTableName("sales", "orders"), ORDERS),
            ImmutableListMultimap.of("sales", ORDERS));
    private static final SystemSecurityContext ALICE = new SystemSecurityContext(Identity.ofUser("alice"), QueryId.valueOf("test"), Instant.now());
    private static final CatalogSchemaTableName MEMORY_TABLE = new CatalogSchemaTableName("memory", "default", "t");

    @Test
    void testOtherCatalogsAllowedAsTrinoDefault()
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.ALLOW, new DefaultSystemAccessControl());
        assertThat(control.filterCatalogs(ALICE, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "memory", "system");
        control.checkCanCreateTable(ALICE, MEMORY_TABLE, ImmutableMap.of());
        control.checkCanSelectFromColumns(ALICE, MEMORY_TABLE, ImmutableSet.of("a"));
    }

    @Test
    void testOtherCatalogsReadOnly()
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.READ_ONLY, new ReadOnlySystemAccessControl());
        assertThat(control.filterCatalogs(ALICE, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "memory", "system");
        control.checkCanSelectFromColumns(ALICE, MEMORY_TABLE, ImmutableSet.of("a"));
        assertThatThrownBy(() -> control.checkCanCreateTable(ALICE, MEMORY_TABLE, ImmutableMap.of()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: Cannot create table memory.default.t");
    }

    @Test
    void testOtherCatalogsDenied()
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.DENY, new ReadOnlySystemAccessControl());
        assertThat(control.filterCatalogs(ALICE, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "system");
        assertThat(control.canAccessCatalog(ALICE, "memory")).isFalse();
        assertThat(control.canAccessCatalog(ALICE, "system")).isTrue();
    }

    @Test
    void testNamesTheMeshDoesNotServe()
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.ALLOW, new DefaultSystemAccessControl());
        control.checkCanSelectFromColumns(ALICE, new CatalogSchemaTableName("mesh", "sales", "orders"), ImmutableSet.of("order_id"));
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(ALICE, new CatalogSchemaTableName("mesh", "sales", "returns"), ImmutableSet.of("order_id")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: table mesh.sales.returns is not a data asset of the mesh");
        assertThat(control.filterTables(ALICE, "mesh", ImmutableSet.of(new SchemaTableName("sales", "orders"), new SchemaTableName("sales", "returns"), new SchemaTableName("information_schema", "tables"))))
                .containsExactlyInAnyOrder(new SchemaTableName("sales", "orders"), new SchemaTableName("information_schema", "tables"));
    }

    private static SystemAccessControl control(MeshSecurityConfig.OtherCatalogs otherCatalogs, SystemAccessControl otherCatalogsControl)
    {
        return new MeshAccessControl(() -> MESH, new MeshSecurityConfig().setOtherCatalogs(otherCatalogs), otherCatalogsControl, new AuditTrail(), ImmutableList.of());
    }
}
