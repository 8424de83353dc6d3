package dev.datamesh.trino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * SQL shown in the README, read from it, so that what the README promises is what the tests run.
 */
final class ReadmeQueries
{
    private ReadmeQueries() {}

    /**
     * The SQL block of the README whose first line is the given comment, without the trailing semicolon.
     */
    static String query(String firstLine)
    {
        String readme;
        try {
            readme = Files.readString(SampleMeshDirectory.repositoryRoot().resolve("README.md"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf("```sql\n" + firstLine);
        if (start < 0) {
            throw new IllegalStateException("README.md has no SQL block starting with " + firstLine);
        }
        start += "```sql\n".length();
        String block = readme.substring(start, readme.indexOf("```", start)).strip();
        return block.endsWith(";") ? block.substring(0, block.length() - 1) : block;
    }
}
