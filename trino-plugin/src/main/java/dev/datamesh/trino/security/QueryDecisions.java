package dev.datamesh.trino.security;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principal;
import dev.datamesh.policies.ReadDecision;
import dev.datamesh.policies.Subject;
import dev.datamesh.trino.audit.AuditTrail;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemSecurityContext;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What governance decides for each running query. Trino asks for one table's masks, filters and
 * column access in separate calls: a query decides with the policy it first met, so a reload
 * between the calls cannot drop a filter; and each table is evaluated once per query, whatever
 * the number of its columns or of the checks that ask.
 */
final class QueryDecisions
{
    private final Supplier<PolicyEvaluator> policy;
    private final AuditTrail auditTrail;
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, PolicyEvaluator> queryPolicies = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<DecisionKey, ReadDecision> decisions = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();

    private record DecisionKey(QueryId queryId, String user, Set<String> groups, CatalogSchemaTableName table) {}

    /**
     * @param policy the policy in force (re-read by the supplier when its files change)
     */
    QueryDecisions(Supplier<PolicyEvaluator> policy, AuditTrail auditTrail)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.auditTrail = requireNonNull(auditTrail, "auditTrail is null");
    }

    /**
     * The policy the query decides with: the one in force when the query first met governance,
     * whose roles for its user are then those of the query's audit record.
     */
    PolicyEvaluator policy(SystemSecurityContext context)
    {
        try {
            return queryPolicies.get(context.getQueryId(), () -> {
                PolicyEvaluator evaluator = policy.get();
                auditTrail.recordRoles(context, principal(evaluator, context.getIdentity()).roles());
                return evaluator;
            });
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * What the query's user may read of the table, which serves the asset: evaluated with the
     * query's policy the first time the query asks.
     */
    ReadDecision decision(SystemSecurityContext context, CatalogSchemaTableName table, GovernedAsset asset)
    {
        PolicyEvaluator evaluator = policy(context);
        Identity identity = context.getIdentity();
        DecisionKey key = new DecisionKey(context.getQueryId(), identity.getUser(), identity.getGroups(), table);
        try {
            return decisions.get(key, () -> evaluator.decide(principal(evaluator, identity), asset));
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    static Principal principal(PolicyEvaluator evaluator, Identity identity)
    {
        return evaluator.principal(new Subject(identity.getUser(), identity.getGroups()));
    }
}
