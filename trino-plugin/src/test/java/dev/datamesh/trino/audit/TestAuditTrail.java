package dev.datamesh.trino.audit;

import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemSecurityContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

final class TestAuditTrail
{
    private static final CatalogSchemaTableName CUSTOMERS = new CatalogSchemaTableName("mesh", "customer_service", "customer_profile");

    @Test
    void testQueryRecordIsTakenOnce()
    {
        AuditTrail trail = new AuditTrail();
        SystemSecurityContext query = new SystemSecurityContext(Identity.ofUser("alice"), QueryId.valueOf("q1"), Instant.now());
        trail.recordRoles(query, Set.of("analyst"));
        // the roles the query was first decided with stay, whatever a reload gives later
        trail.recordRoles(query, Set.of("analyst", "auditor"));
        trail.recordTable(query, CUSTOMERS, "customer-data-product", "customer-service", List.of("analysts-see-web-orders"));
        trail.recordMask(query, CUSTOMERS, "customer-data-product", "customer-service", "email", "pii-hashed");
        trail.recordDenial(query, "no grant");

        QueryGovernance governance = trail.take("q1").orElseThrow();
        assertThat(governance.roles()).contains(Set.of("analyst"));
        assertThat(governance.tables()).isEqualTo(Map.of(CUSTOMERS, new QueryGovernance.TableGovernance(
                "customer-data-product", "customer-service", Map.of("email", "pii-hashed"), List.of("analysts-see-web-orders"))));
        assertThat(governance.denials()).containsExactly("no grant");
        assertThat(trail.take("q1")).isEmpty();
    }

    @Test
    void testTrailWithoutAuditFileKeepsNothing()
    {
        AuditTrail trail = AuditTrail.notRecording();
        SystemSecurityContext query = new SystemSecurityContext(Identity.ofUser("alice"), QueryId.valueOf("q1"), Instant.now());
        trail.touch(query);
        trail.recordRoles(query, Set.of("analyst"));
        trail.recordTable(query, CUSTOMERS, "customer-data-product", "customer-service", List.of());
        trail.recordMask(query, CUSTOMERS, "customer-data-product", "customer-service", "email", "pii-hashed");
        trail.recordDenial(query, "no grant");
        assertThat(trail.take("q1")).isEqualTo(Optional.empty());
    }
}
