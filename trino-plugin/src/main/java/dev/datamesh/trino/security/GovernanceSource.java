package dev.datamesh.trino.security;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.PolicyParser;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.trino.MeshFileSystemFactory;
import io.airlift.log.Logger;
import io.trino.spi.security.ConnectorIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Keeps the governed mesh current: descriptor, role and policy files are checked for changes at
 * most once per refresh period and read again when they changed. A change that does not parse
 * leaves the last valid policy in force (logged with file and line), so a typo never opens
 * access; at start-up it stops the server instead.
 */
public final class GovernanceSource
{
    private static final Logger log = Logger.get(GovernanceSource.class);

    private final MeshSecurityConfig config;
    private final long refreshNanos;
    private volatile State state;
    private long generation;

    private record State(GovernedMesh mesh, List<FileStamp> stamps, long checkedAt) {}

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

    public GovernedMesh current()
    {
        State current = state;
        if (System.nanoTime() - current.checkedAt() < refreshNanos) {
            return current.mesh();
        }
        synchronized (this) {
            current = state;
            if (System.nanoTime() - current.checkedAt() < refreshNanos) {
                return current.mesh();
            }
            List<FileStamp> stamps = stamps();
            GovernedMesh mesh = current.mesh();
            if (!stamps.equals(current.stamps())) {
                try {
                    mesh = load();
                    log.info("Reloaded the data mesh policy: %s data assets, %s policy rules", mesh.assets().size(), ruleCount(mesh.evaluator().policy()));
                }
                catch (DescriptorException | RuntimeException e) {
                    log.error("Keeping the last valid data mesh policy: the changed files are invalid:\n%s", e.getMessage());
                }
            }
            // the stamps are kept even when invalid, so a broken file is reported once, not at every check
            state = new State(mesh, stamps, System.nanoTime());
            return mesh;
        }
    }

    private GovernedMesh load()
            throws DescriptorException
    {
        GlobalPolicy policy = PolicyParser.parse(config.getRolesFile(), config.getPoliciesDirectory());
        MeshRegistry registry = new MeshRegistryLoader(config.getDescriptorsDirectory(), new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("data-mesh"))).load();
        generation++;
        return GovernedMesh.of(generation, new PolicyEvaluator(policy), registry);
    }

    private List<FileStamp> stamps()
    {
        List<Path> files = new ArrayList<>();
        config.getRolesFile().ifPresent(files::add);
        files.addAll(PolicyParser.policyFiles(config.getPoliciesDirectory()));
        try (Stream<Path> descriptors = Files.walk(config.getDescriptorsDirectory())) {
            descriptors.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Cannot list %s: %s", config.getDescriptorsDirectory(), e.getMessage());
        }
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
