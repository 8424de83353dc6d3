package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.datamesh.policies.Subject;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.RowFilteredTables;
import dev.datamesh.trino.audit.AuditLog;
import dev.datamesh.trino.audit.AuditTrail;
import dev.datamesh.trino.audit.MeshAuditConfig;
import dev.datamesh.trino.audit.MeshAuditListener;
import io.trino.plugin.base.security.DefaultSystemAccessControl;
import io.trino.plugin.base.security.ReadOnlySystemAccessControl;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.security.SystemAccessControl;

import java.util.List;
import java.util.Optional;

import static io.airlift.configuration.ConfigBinder.configBinder;

public class MeshSecurityModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MeshSecurityConfig.class);
        configBinder(binder).bindConfig(MeshAuditConfig.class);
    }

    @Provides
    @Singleton
    public static Optional<AuditLog> auditLog(MeshAuditConfig config)
    {
        if (!config.isEnabled()) {
            return Optional.empty();
        }
        return Optional.of(new AuditLog(config.getFile(), config.getMaxFileSize(), config.getMaxHistory()));
    }

    @Provides
    @Singleton
    public static AuditTrail auditTrail(Optional<AuditLog> auditLog)
    {
        return auditLog.map(AuditTrail::new).orElseGet(AuditTrail::notRecording);
    }

    @Provides
    @Singleton
    public static GovernanceSource governanceSource(MeshSecurityConfig config)
    {
        return new GovernanceSource(config);
    }

    @Provides
    @Singleton
    public static MeshAccessControl accessControl(GovernanceSource governance, PublishedRegistries registries, RowFilteredTables rowFilteredTables, MeshSecurityConfig config, Optional<AuditLog> auditLog, AuditTrail auditTrail)
    {
        SystemAccessControl otherCatalogs = switch (config.getOtherCatalogs()) {
            case ALLOW -> new DefaultSystemAccessControl();
            // catalogs denied are hidden by the mesh control itself; what remains of them is read-only
            case READ_ONLY, DENY -> new ReadOnlySystemAccessControl();
        };
        List<EventListener> listeners = auditLog
                .map(log -> ImmutableList.<EventListener>of(new MeshAuditListener(
                        auditTrail,
                        log,
                        catalog -> config.getMeshCatalogs().contains(catalog) || registries.isPublished(catalog),
                        context -> governance.current().principal(new Subject(context.getUser(), context.getGroups())).roles())))
                .orElseGet(ImmutableList::of);
        return new MeshAccessControl(new PolicyNameCheck(governance::current, registries), registries, rowFilteredTables, config, otherCatalogs, auditTrail, listeners);
    }
}
