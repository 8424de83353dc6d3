package dev.datamesh.trino.security;

import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.PolicyReferences;
import dev.datamesh.trino.PublishedRegistries;
import io.airlift.log.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The policy in force, its names checked against the descriptors the mesh serves as a query
 * takes it: the names no served descriptor knows are logged once per change of the policy or of
 * a registry. Rejecting the policy for them would refuse a guardrail written ahead of the domain
 * it protects, or keep one that names a domain since removed. The check runs as queries take the
 * policy, not as its files are read, because a registry changes without the policy changing.
 */
final class PolicyNameCheck
        implements Supplier<PolicyEvaluator>
{
    private static final Logger log = Logger.get(PolicyNameCheck.class);

    private final Supplier<PolicyEvaluator> policy;
    private final PublishedRegistries registries;
    // the policy and registries whose names were last checked against each other
    private final AtomicReference<CheckedNames> checkedNames = new AtomicReference<>();

    private record CheckedNames(PolicyEvaluator policy, List<MeshRegistry> registries) {}

    PolicyNameCheck(Supplier<PolicyEvaluator> policy, PublishedRegistries registries)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.registries = requireNonNull(registries, "registries is null");
    }

    @Override
    public PolicyEvaluator get()
    {
        PolicyEvaluator evaluator = policy.get();
        logUnknownNames(evaluator);
        return evaluator;
    }

    private void logUnknownNames(PolicyEvaluator evaluator)
    {
        CheckedNames current = new CheckedNames(evaluator, registries.current());
        CheckedNames previous = checkedNames.getAndSet(current);
        if (current.equals(previous) || current.registries().isEmpty()) {
            return;
        }
        // a warning that cannot be worked out must not fail the query that came across it
        try {
            for (DescriptorProblem problem : PolicyReferences.unknownNames(evaluator.policy(), current.registries())) {
                log.warn("%s: %s", problem.position(), problem.message());
            }
        }
        catch (RuntimeException e) {
            log.error(e, "Cannot check the names the data mesh policy refers to");
        }
    }
}
