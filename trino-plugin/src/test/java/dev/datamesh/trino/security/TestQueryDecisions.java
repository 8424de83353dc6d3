package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.Permission;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.ReadDecision;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RuleOrigin;
import dev.datamesh.trino.audit.AuditTrail;
import dev.datamesh.trino.audit.QueryGovernance;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemSecurityContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each query decides with the policy it first met, and evaluates each table once for its user,
 * whatever reloads and other queries happen meanwhile.
 */
final class TestQueryDecisions
{
    private static final RoleMapping ROLES = new RoleMapping(
            ImmutableMap.of("analyst", new RoleMapping.Members(ImmutableSet.of("alice"), ImmutableSet.of("analysts"))),
            ImmutableMap.of(),
            ImmutableMap.of());
    private static final PolicyEvaluator GRANTS_ONLY = new PolicyEvaluator(new GlobalPolicy(ROLES, ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    private static final Principals ANALYSTS = new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("analyst"), false);
    private static final PolicyEvaluator ANALYSTS_DENIED = new PolicyEvaluator(new GlobalPolicy(ROLES,
            ImmutableList.of(new DenyRule(new RuleOrigin("analysts-frozen", "deny.yaml", 2), ResourceScope.EVERYWHERE, ColumnSelector.NONE, ANALYSTS, Principals.EVERYONE)),
            ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    private static final CatalogSchemaTableName ORDERS = new CatalogSchemaTableName("mesh", "sales", "orders");
    private static final GovernedAsset ORDERS_ASSET = new GovernedAsset("sales", "order-data-product", "orders", "sales-team",
            ImmutableList.of(new AccessGrant("analyst", Permission.READ)), ImmutableMap.of());

    @Test
    void testEachQueryKeepsThePolicyItFirstMet()
    {
        AtomicReference<PolicyEvaluator> policy = new AtomicReference<>(ANALYSTS_DENIED);
        QueryDecisions decisions = new QueryDecisions(policy::get, new AuditTrail());
        SystemSecurityContext first = context("alice", "q1");
        assertThat(decisions.policy(first)).isSameAs(ANALYSTS_DENIED);
        assertThat(decisions.decision(first, ORDERS, ORDERS_ASSET).access().allowed()).isFalse();

        policy.set(GRANTS_ONLY);
        assertThat(decisions.policy(first)).isSameAs(ANALYSTS_DENIED);
        assertThat(decisions.decision(context("bob", "q1"), ORDERS, ORDERS_ASSET).access().allowed()).isFalse();
        SystemSecurityContext second = context("alice", "q2");
        assertThat(decisions.policy(second)).isSameAs(GRANTS_ONLY);
        assertThat(decisions.decision(second, ORDERS, ORDERS_ASSET).access().allowed()).isTrue();
        // a query that met governance before the reload still decides with its own policy
        assertThat(decisions.decision(first, ORDERS, ORDERS_ASSET).access().allowed()).isFalse();
    }

    @Test
    void testEachTableEvaluatedOncePerQueryAndIdentity()
    {
        QueryDecisions decisions = new QueryDecisions(() -> new PolicyEvaluator(GRANTS_ONLY.policy()), new AuditTrail());
        ReadDecision first = decisions.decision(context("alice", "q1"), ORDERS, ORDERS_ASSET);
        assertThat(decisions.decision(context("alice", "q1"), ORDERS, ORDERS_ASSET)).isSameAs(first);
        // never handed to another query, nor to another identity under the same query id
        assertThat(decisions.decision(context("alice", "q2"), ORDERS, ORDERS_ASSET)).isNotSameAs(first).isEqualTo(first);
        ReadDecision asGroupMember = decisions.decision(new SystemSecurityContext(Identity.forUser("alice").withGroups(ImmutableSet.of("analysts")).build(), QueryId.valueOf("q1"), Instant.now()), ORDERS, ORDERS_ASSET);
        assertThat(asGroupMember).isNotSameAs(first);
        ReadDecision other = decisions.decision(context("carol", "q1"), ORDERS, ORDERS_ASSET);
        assertThat(other).isNotSameAs(first);
        assertThat(other.access().allowed()).isFalse();
    }

    @Test
    void testRolesOfThePinnedPolicyAudited()
    {
        AtomicReference<PolicyEvaluator> policy = new AtomicReference<>(GRANTS_ONLY);
        AuditTrail auditTrail = new AuditTrail();
        QueryDecisions decisions = new QueryDecisions(policy::get, auditTrail);
        decisions.policy(context("alice", "q1"));
        policy.set(new PolicyEvaluator(GlobalPolicy.EMPTY));
        decisions.policy(context("alice", "q1"));
        decisions.policy(context("alice", "q2"));
        assertThat(auditTrail.take("q1").flatMap(QueryGovernance::roles)).contains(ImmutableSet.of("analyst"));
        assertThat(auditTrail.take("q2").flatMap(QueryGovernance::roles)).contains(ImmutableSet.of());
    }

    private static SystemSecurityContext context(String user, String queryId)
    {
        return new SystemSecurityContext(Identity.ofUser(user), QueryId.valueOf(queryId), Instant.now());
    }
}
