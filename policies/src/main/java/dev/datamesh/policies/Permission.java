package dev.datamesh.policies;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a domain grant lets a role do with a data product's assets.
 */
public enum Permission
{
    READ("read"),
    READ_WRITE("read-write");

    private final String descriptorName;

    Permission(String descriptorName)
    {
        this.descriptorName = descriptorName;
    }

    /**
     * The spelling used in data product descriptors.
     */
    public String descriptorName()
    {
        return descriptorName;
    }

    public static Optional<Permission> fromDescriptorName(String name)
    {
        return Arrays.stream(values())
                .filter(permission -> permission.descriptorName.equals(name))
                .findFirst();
    }
}
