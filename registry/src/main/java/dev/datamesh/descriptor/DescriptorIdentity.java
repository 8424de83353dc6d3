package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The product a descriptor file says it publishes, as far as the file could be read: a file
 * left out for its problems still names, most of the time, the product, domain and owner those
 * problems concern, and so the people who should hear of them.
 */
public record DescriptorIdentity(Optional<String> product, Optional<String> domain, Optional<String> owner)
{
    public static final DescriptorIdentity UNKNOWN = new DescriptorIdentity(Optional.empty(), Optional.empty(), Optional.empty());

    public DescriptorIdentity
    {
        requireNonNull(product, "product is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(owner, "owner is null");
    }

    public static DescriptorIdentity of(DataProductDescriptor descriptor)
    {
        return new DescriptorIdentity(Optional.of(descriptor.name()), Optional.of(descriptor.domain()), Optional.of(descriptor.owner()));
    }

    /**
     * What a document that may break its schema says: the fields that are non-empty text.
     */
    static DescriptorIdentity of(LocatedDocument document)
    {
        return new DescriptorIdentity(text(document.root(), "name"), text(document.root(), "domain"), text(document.root(), "owner"));
    }

    private static Optional<String> text(JsonNode root, String field)
    {
        JsonNode value = root.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
