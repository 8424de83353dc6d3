package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RuleOrigin;
import dev.datamesh.trino.PublishedRegistries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy's names checked against the served descriptors as queries take the policy: logged
 * once per change of the policy or of the registries, never failing the query.
 */
final class TestPolicyNameCheck
{
    private static final String TYPO_WARNING = "rule 'sales-frozen' is scoped to domain 'salse', which no descriptor publishes, so it covers nothing; did you mean 'sales'?";

    @Test
    void testUnknownNamesLoggedOncePerChange()
            throws IOException
    {
        PublishedRegistries registries = new PublishedRegistries();
        AtomicReference<PolicyEvaluator> policy = new AtomicReference<>(typoPolicy());
        PolicyNameCheck check = new PolicyNameCheck(policy::get, registries);
        List<String> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger(PolicyNameCheck.class.getName());
        Handler handler = new Handler()
        {
            @Override
            public void publish(LogRecord record)
            {
                if (record.getLevel().equals(Level.WARNING)) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            // no catalog serves descriptors yet: nothing to check the names against
            assertThat(check.get()).isSameAs(policy.get());
            assertThat(warnings).isEmpty();

            registries.publish("mesh", TestingRegistries.load(TestingRegistries.ORDERS_DESCRIPTOR));
            check.get();
            assertThat(warnings).singleElement().isEqualTo("deny.yaml:2:1: " + TYPO_WARNING);
            check.get();
            assertThat(warnings).hasSize(1);

            // the policy files were read again
            policy.set(typoPolicy());
            check.get();
            assertThat(warnings).hasSize(2);

            // another catalog serves descriptors
            registries.publish("mesh_eu", TestingRegistries.load(TestingRegistries.ORDERS_DESCRIPTOR));
            check.get();
            check.get();
            assertThat(warnings).hasSize(3);
        }
        finally {
            logger.removeHandler(handler);
        }
    }

    private static PolicyEvaluator typoPolicy()
    {
        DenyRule typo = new DenyRule(new RuleOrigin("sales-frozen", "deny.yaml", 2), new ResourceScope(ImmutableSet.of("salse"), ImmutableSet.of(), ImmutableSet.of()), ColumnSelector.NONE, Principals.EVERYONE, Principals.EVERYONE);
        return new PolicyEvaluator(new GlobalPolicy(RoleMapping.EMPTY, ImmutableList.of(typo), ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
    }
}
