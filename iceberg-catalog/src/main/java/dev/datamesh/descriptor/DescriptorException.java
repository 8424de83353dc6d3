package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.stream.Collectors.joining;

/**
 * A file that cannot be used, with every problem found in it.
 */
public class DescriptorException
        extends Exception
{
    private final List<DescriptorProblem> problems;

    public DescriptorException(List<DescriptorProblem> problems)
    {
        super(problems.stream().map(DescriptorProblem::toString).collect(joining("\n")));
        checkArgument(!problems.isEmpty(), "problems is empty");
        this.problems = ImmutableList.copyOf(problems);
    }

    public DescriptorException(DescriptorProblem problem)
    {
        this(ImmutableList.of(problem));
    }

    public List<DescriptorProblem> problems()
    {
        return problems;
    }
}
