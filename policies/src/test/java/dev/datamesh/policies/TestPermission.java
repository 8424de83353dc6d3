package dev.datamesh.policies;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPermission
{
    @Test
    void testDescriptorNames()
    {
        assertThat(Permission.fromDescriptorName("read")).contains(Permission.READ);
        assertThat(Permission.fromDescriptorName("read-write")).contains(Permission.READ_WRITE);
        assertThat(Permission.fromDescriptorName("write")).isEmpty();
        assertThat(Permission.fromDescriptorName("READ")).isEmpty();
    }

    @Test
    void testGrantNeedsRole()
    {
        assertThat(new AccessGrant("analyst", Permission.READ).role()).isEqualTo("analyst");
        assertThatThrownBy(() -> new AccessGrant(" ", Permission.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role is blank");
    }
}
