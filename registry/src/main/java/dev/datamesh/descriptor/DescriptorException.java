package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * A file that cannot be used, with every problem found in it.
 */
public class DescriptorException
        extends Exception
{
    private final List<DescriptorProblem> problems;
    private final DescriptorIdentity identity;

    public DescriptorException(List<DescriptorProblem> problems)
    {
        this(problems, DescriptorIdentity.UNKNOWN);
    }

    /**
     * @param identity the product the file says it publishes, as far as it could be read
     */
    public DescriptorException(List<DescriptorProblem> problems, DescriptorIdentity identity)
    {
        super(problems.stream().map(DescriptorProblem::toString).collect(joining("\n")));
        checkArgument(!problems.isEmpty(), "problems is empty");
        this.problems = ImmutableList.copyOf(problems);
        this.identity = requireNonNull(identity, "identity is null");
    }

    public DescriptorException(DescriptorProblem problem)
    {
        this(ImmutableList.of(problem));
    }

    public List<DescriptorProblem> problems()
    {
        return problems;
    }

    public DescriptorIdentity identity()
    {
        return identity;
    }
}
