package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RowFilterRule;
import dev.datamesh.policies.RuleOrigin;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.RowFilteredTables;
import dev.datamesh.trino.audit.AuditTrail;
import io.trino.plugin.base.security.DefaultSystemAccessControl;
import io.trino.plugin.base.security.ReadOnlySystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.ColumnSchema;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;
import io.trino.spi.security.ViewExpression;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access control on its own: catalogs other than the mesh in each configured mode, names the
 * mesh does not serve, which catalogs it governs, and the policy a query keeps while the files
 * change under it.
 */
final class TestMeshAccessControl
{
    private static final RoleMapping ROLES = new RoleMapping(
            ImmutableMap.of("analyst", new RoleMapping.Members(ImmutableSet.of("alice"), ImmutableSet.of())),
            ImmutableMap.of("analyst", ImmutableMap.of("region", ImmutableList.of("EMEA"))),
            ImmutableMap.of());
    private static final PolicyEvaluator GRANTS_ONLY = new PolicyEvaluator(new GlobalPolicy(ROLES, ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    private static final Principals ANALYSTS = new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("analyst"), false);
    private static final Principals NOBODY = new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), false);
    private static final PolicyEvaluator REGION_FILTERED = new PolicyEvaluator(new GlobalPolicy(ROLES, ImmutableList.of(), ImmutableList.of(),
            ImmutableList.of(new RowFilterRule(new RuleOrigin("analyst-regions", "rows.yaml", 2), ResourceScope.EVERYWHERE, ANALYSTS, NOBODY, "region IN (${attribute.region})")),
            ImmutableList.of()));
    private static final PolicyEvaluator ANALYSTS_DENIED = new PolicyEvaluator(new GlobalPolicy(ROLES,
            ImmutableList.of(new DenyRule(new RuleOrigin("analysts-frozen", "deny.yaml", 2), ResourceScope.EVERYWHERE, ColumnSelector.NONE, ANALYSTS, NOBODY)),
            ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    private static final PolicyEvaluator AMOUNT_DENIED = new PolicyEvaluator(new GlobalPolicy(ROLES,
            ImmutableList.of(new DenyRule(new RuleOrigin("no-amounts", "deny.yaml", 2), ResourceScope.EVERYWHERE, new ColumnSelector(ImmutableSet.of(), ImmutableSet.of("amount")), ANALYSTS, NOBODY)),
            ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    private static final CatalogSchemaTableName ORDERS = new CatalogSchemaTableName("mesh", "sales", "orders");
    private static final CatalogSchemaTableName MEMORY_TABLE = new CatalogSchemaTableName("memory", "default", "t");
    private static final List<ColumnSchema> ORDER_COLUMNS = ImmutableList.of(
            ColumnSchema.builder().setName("order_id").setType(BIGINT).build(),
            ColumnSchema.builder().setName("amount").setType(DOUBLE).build());

    @Test
    void testOtherCatalogsAllowedAsTrinoDefault()
            throws IOException
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.ALLOW, new DefaultSystemAccessControl());
        SystemSecurityContext alice = context("alice", "q1");
        assertThat(control.filterCatalogs(alice, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "memory", "system");
        control.checkCanCreateTable(alice, MEMORY_TABLE, ImmutableMap.of());
        control.checkCanSelectFromColumns(alice, MEMORY_TABLE, ImmutableSet.of("a"));
    }

    @Test
    void testOtherCatalogsReadOnly()
            throws IOException
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.READ_ONLY, new ReadOnlySystemAccessControl());
        SystemSecurityContext alice = context("alice", "q1");
        assertThat(control.filterCatalogs(alice, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "memory", "system");
        control.checkCanSelectFromColumns(alice, MEMORY_TABLE, ImmutableSet.of("a"));
        assertThatThrownBy(() -> control.checkCanCreateTable(alice, MEMORY_TABLE, ImmutableMap.of()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: Cannot create table memory.default.t");
    }

    @Test
    void testOtherCatalogsDenied()
            throws IOException
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.DENY, new ReadOnlySystemAccessControl());
        SystemSecurityContext alice = context("alice", "q1");
        assertThat(control.filterCatalogs(alice, ImmutableSet.of("mesh", "memory", "system"))).containsExactlyInAnyOrder("mesh", "system");
        assertThat(control.canAccessCatalog(alice, "memory")).isFalse();
        assertThat(control.canAccessCatalog(alice, "system")).isTrue();
    }

    @Test
    void testCatalogsAreNotMadeOrDroppedThroughSql()
            throws IOException
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.ALLOW, new DefaultSystemAccessControl());
        assertThatThrownBy(() -> control.checkCanCreateCatalog(context("alice", "q1"), "my_mesh"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot create catalog my_mesh: catalogs are configured by the server's administrators under a governed mesh");
        assertThatThrownBy(() -> control.checkCanDropCatalog(context("alice", "q2"), "memory"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot drop catalog memory: catalogs are configured by the server's administrators under a governed mesh");
    }

    @Test
    void testNamesTheMeshDoesNotServe()
            throws IOException
    {
        SystemAccessControl control = control(MeshSecurityConfig.OtherCatalogs.ALLOW, new DefaultSystemAccessControl());
        SystemSecurityContext alice = context("alice", "q1");
        control.checkCanSelectFromColumns(alice, ORDERS, ImmutableSet.of("order_id"));
        CatalogSchemaTableName returns = new CatalogSchemaTableName("mesh", "sales", "returns");
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(alice, returns, ImmutableSet.of("order_id")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: table mesh.sales.returns is not a data asset of the mesh");
        // Trino asks for the filters of every table it analyses: an unknown one is denied there too
        assertThatThrownBy(() -> control.getRowFilters(alice, returns))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: table mesh.sales.returns is not a data asset of the mesh");
        // should no check be reached, an unknown table reads only nulls
        assertThat(control.getColumnMasks(alice, returns, ORDER_COLUMNS).values()).extracting(ViewExpression::getExpression)
                .containsExactlyInAnyOrder("CAST(NULL AS bigint)", "CAST(NULL AS double)");
        assertThat(control.filterTables(alice, "mesh", ImmutableSet.of(new SchemaTableName("sales", "orders"), new SchemaTableName("sales", "returns"), new SchemaTableName("information_schema", "tables"))))
                .containsExactlyInAnyOrder(new SchemaTableName("sales", "orders"), new SchemaTableName("information_schema", "tables"));
        assertThat(control.getRowFilters(alice, new CatalogSchemaTableName("mesh", "information_schema", "tables"))).isEmpty();
    }

    @Test
    void testEveryCatalogOfTheConnectorIsGoverned()
            throws IOException
    {
        PublishedRegistries registries = new PublishedRegistries();
        MeshRegistrySource euSource = TestingRegistries.load(TestingRegistries.ORDERS_DESCRIPTOR);
        registries.publish("mesh_eu", euSource);
        SystemAccessControl control = new MeshAccessControl(() -> GRANTS_ONLY, registries, new RowFilteredTables(), new MeshSecurityConfig(), new DefaultSystemAccessControl(), new AuditTrail(), ImmutableList.of());

        // mesh_eu is not configured, but its connector published it: governed, not left to Trino's default
        CatalogSchemaTableName euOrders = new CatalogSchemaTableName("mesh_eu", "sales", "orders");
        control.checkCanSelectFromColumns(context("alice", "q1"), euOrders, ImmutableSet.of("order_id"));
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(context("bob", "q2"), euOrders, ImmutableSet.of("order_id")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: user 'bob' has no role with a read grant on data product 'order-data-product' (domain sales)");
        assertThatThrownBy(() -> control.checkCanCreateTable(context("alice", "q3"), new CatalogSchemaTableName("mesh_eu", "sales", "copy"), ImmutableMap.of()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("the mesh catalog is read-only");

        // mesh is configured but its connector is not loaded (yet): nothing of it is readable
        assertThat(control.filterSchemas(context("alice", "q4"), "mesh", ImmutableSet.of("sales", "information_schema"))).containsExactly("information_schema");
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(context("alice", "q5"), ORDERS, ImmutableSet.of("order_id")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: table mesh.sales.orders is not a data asset of the mesh");

        // a dropped catalog's connector withdraws its registry
        registries.withdraw("mesh_eu", euSource);
        assertThat(control.filterSchemas(context("alice", "q6"), "mesh_eu", ImmutableSet.of("sales"))).containsExactly("sales");
    }

    @Test
    void testQueryKeepsThePolicyItStartedWith()
            throws IOException
    {
        AtomicReference<PolicyEvaluator> policy = new AtomicReference<>(REGION_FILTERED);
        SystemAccessControl control = control(policy::get);
        SystemSecurityContext first = context("alice", "q1");

        // Trino asks for filters, then masks, then column access: a reload in between changes nothing for the query
        assertThat(control.getRowFilters(first, ORDERS)).extracting(ViewExpression::getExpression).containsExactly("region IN ('EMEA')");
        policy.set(GRANTS_ONLY);
        control.checkCanSelectFromColumns(first, ORDERS, ImmutableSet.of("order_id", "region"));
        assertThat(control.getRowFilters(first, ORDERS)).extracting(ViewExpression::getExpression).containsExactly("region IN ('EMEA')");
        // the next query decides with the new policy
        assertThat(control.getRowFilters(context("alice", "q2"), ORDERS)).isEmpty();
    }

    @Test
    void testQueryDeniedBeforeAReloadStaysDenied()
            throws IOException
    {
        AtomicReference<PolicyEvaluator> policy = new AtomicReference<>(ANALYSTS_DENIED);
        SystemAccessControl control = control(policy::get);
        SystemSecurityContext first = context("alice", "q1");

        assertThatThrownBy(() -> control.getRowFilters(first, ORDERS))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("is denied to user 'alice' by global policy 'analysts-frozen'");
        assertThat(control.getColumnMasks(first, ORDERS, ORDER_COLUMNS).values()).extracting(ViewExpression::getExpression)
                .containsExactlyInAnyOrder("CAST(NULL AS bigint)", "CAST(NULL AS double)");
        policy.set(GRANTS_ONLY);
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(first, ORDERS, ImmutableSet.of("order_id")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: data product 'order-data-product' (domain sales) is denied to user 'alice' by global policy 'analysts-frozen' (deny.yaml:2)");
        control.checkCanSelectFromColumns(context("alice", "q2"), ORDERS, ImmutableSet.of("order_id"));
    }

    @Test
    void testDeniedColumnReadsAsNull()
            throws IOException
    {
        SystemAccessControl control = control(() -> AMOUNT_DENIED);
        SystemSecurityContext alice = context("alice", "q1");
        Map<ColumnSchema, ViewExpression> masks = control.getColumnMasks(alice, ORDERS, ORDER_COLUMNS);
        assertThat(masks).containsOnlyKeys(ORDER_COLUMNS.get(1));
        assertThat(masks.get(ORDER_COLUMNS.get(1)).getExpression()).isEqualTo("CAST(NULL AS double)");
        assertThat(control.filterColumns(alice, ORDERS, ImmutableSet.of("order_id", "amount"))).containsExactly("order_id");
        assertThatThrownBy(() -> control.checkCanSelectFromColumns(alice, ORDERS, ImmutableSet.of("amount")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: column 'amount' of data product 'order-data-product' (domain sales) is denied to user 'alice' by global policy 'no-amounts' (deny.yaml:2)");
    }

    private static SystemAccessControl control(MeshSecurityConfig.OtherCatalogs otherCatalogs, SystemAccessControl otherCatalogsControl)
            throws IOException
    {
        return new MeshAccessControl(() -> GRANTS_ONLY, registries(), new RowFilteredTables(), new MeshSecurityConfig().setOtherCatalogs(otherCatalogs), otherCatalogsControl, new AuditTrail(), ImmutableList.of());
    }

    private static SystemAccessControl control(Supplier<PolicyEvaluator> policy)
            throws IOException
    {
        return new MeshAccessControl(policy, registries(), new RowFilteredTables(), new MeshSecurityConfig(), new DefaultSystemAccessControl(), new AuditTrail(), ImmutableList.of());
    }

    private static PublishedRegistries registries()
            throws IOException
    {
        PublishedRegistries registries = new PublishedRegistries();
        registries.publish("mesh", TestingRegistries.load(TestingRegistries.ORDERS_DESCRIPTOR));
        return registries;
    }

    private static SystemSecurityContext context(String user, String queryId)
    {
        return new SystemSecurityContext(Identity.ofUser(user), QueryId.valueOf(queryId), Instant.now());
    }
}
