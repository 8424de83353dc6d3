package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.descriptor.DescriptorProblem;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A descriptor file the last load left out, with every problem found in it and in the schema
 * files it names, and the product it says it publishes.
 */
public record RejectedDescriptor(Path file, DescriptorIdentity identity, List<DescriptorProblem> problems)
{
    public RejectedDescriptor
    {
        requireNonNull(file, "file is null");
        requireNonNull(identity, "identity is null");
        problems = ImmutableList.copyOf(problems);
    }
}
