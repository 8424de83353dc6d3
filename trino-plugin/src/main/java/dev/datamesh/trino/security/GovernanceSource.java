package dev.datamesh.trino.security;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.PolicyParser;
import dev.datamesh.descriptor.SqlSyntax;
import dev.datamesh.descriptor.TrinoSqlSyntax;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.PolicyEvaluator;
import io.airlift.log.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Keeps the policy in force current: the role and policy files are checked for changes at most
 * once per refresh period and read again when they changed. A change that does not parse leaves
 * the last valid policy in force (logged with file and line), so a typo never opens access; at
 * start-up it stops the server instead. Descriptors are not read here: governance takes the
 * registry each mesh catalog serves.
 */
public final class GovernanceSource
{
    private static final Logger log = Logger.get(GovernanceSource.class);

    private final MeshSecurityConfig config;
    private final SqlSyntax sqlSyntax = new TrinoSqlSyntax();
    private final long refreshNanos;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private volatile State state;

    private record State(PolicyEvaluator policy, List<FileStamp> stamps, long checkedAt) {}

    private record FileStamp(Path file, long modified, long size) {}

    public GovernanceSource(MeshSecurityConfig config)
    {
        this.config = requireNonNull(config, "config is null");
        this.refreshNanos = config.getRefreshPeriod().roundTo(NANOSECONDS);
        List<FileStamp> stamps = stamps();
        try {
            this.state = new State(load(), stamps, System.nanoTime());
        }
        catch (DescriptorException e) {
            throw new IllegalStateException("Invalid data mesh policy:\n" + e.getMessage(), e);
        }
    }

    public PolicyEvaluator current()
    {
        State current = state;
        if (System.nanoTime() - current.checkedAt() < refreshNanos) {
            return current.policy();
        }
        // one thread re-reads the files; the others keep deciding with the policy in force
        if (!reloadLock.tryLock()) {
            return current.policy();
        }
        try {
            current = state;
            if (System.nanoTime() - current.checkedAt() < refreshNanos) {
                return current.policy();
            }
            List<FileStamp> stamps = stamps();
            PolicyEvaluator policy = current.policy();
            if (!stamps.equals(current.stamps())) {
                try {
                    policy = load();
                    log.info("Reloaded the data mesh policy: %s policy rules", ruleCount(policy.policy()));
                }
                catch (DescriptorException | RuntimeException e) {
                    log.error("Keeping the last valid data mesh policy: the changed files are invalid:\n%s", e.getMessage());
                }
            }
            // the stamps are kept even when invalid, so a broken file is reported once, not at every check
            state = new State(policy, stamps, System.nanoTime());
            return policy;
        }
        finally {
            reloadLock.unlock();
        }
    }

    private PolicyEvaluator load()
            throws DescriptorException
    {
        return new PolicyEvaluator(PolicyParser.parse(config.getRolesFile(), config.getPoliciesDirectory(), sqlSyntax));
    }

    private List<FileStamp> stamps()
    {
        List<Path> files = new ArrayList<>();
        config.getRolesFile().ifPresent(files::add);
        files.addAll(PolicyParser.policyFiles(config.getPoliciesDirectory()));
        List<FileStamp> stamps = new ArrayList<>();
        for (Path file : files) {
            try {
                stamps.add(new FileStamp(file, Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
            }
            catch (IOException e) {
                stamps.add(new FileStamp(file, -1, -1));
            }
        }
        return stamps;
    }

    private static int ruleCount(GlobalPolicy policy)
    {
        return policy.denials().size() + policy.masks().size() + policy.rowFilters().size() + policy.impersonation().size();
    }
}
