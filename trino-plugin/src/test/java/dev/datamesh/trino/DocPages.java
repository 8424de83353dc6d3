package dev.datamesh.trino;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manual's pages, README.md and docs/*.md, read from the repository, so that the examples the
 * tests run or check are the ones readers find on the page.
 */
public final class DocPages
{
    public static final String README = "README.md";
    public static final String DOCS = "docs";

    private DocPages() {}

    /**
     * A page by its path from the repository root, such as {@code README.md} or {@code docs/storage.md}.
     */
    public static Path path(String page)
    {
        Path path = SampleMeshDirectory.repositoryRoot().resolve(page);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the manual has no page " + page + " (looked for " + path + ")");
        }
        return path;
    }

    public static String read(String page)
    {
        try {
            return Files.readString(path(page));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every page of the manual: README.md, then docs/*.md in name order.
     */
    public static List<Path> pages()
    {
        List<Path> pages = new ArrayList<>();
        pages.add(path(README));
        try (Stream<Path> docs = Files.list(SampleMeshDirectory.repositoryRoot().resolve(DOCS))) {
            docs.filter(file -> file.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /**
     * The SQL block of the page whose first line is the given comment, without the trailing semicolon.
     */
    public static String sqlBlock(String page, String firstLine)
    {
        String text = read(page);
        int start = text.indexOf("```sql\n" + firstLine);
        if (start < 0) {
            throw new IllegalStateException(page + " has no SQL block starting with " + firstLine);
        }
        start += "```sql\n".length();
        String block = text.substring(start, text.indexOf("```", start)).strip();
        return block.endsWith(";") ? block.substring(0, block.length() - 1) : block;
    }

    /**
     * The contents of the page's fenced blocks of a language ({@code properties}, {@code yaml}, ...), in page order.
     */
    public static List<String> codeBlocks(String page, String language)
    {
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("```" + Pattern.quote(language) + "\n(.*?)```", Pattern.DOTALL).matcher(read(page));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /**
     * The properties of the page's {@code properties} blocks whose every property the filter
     * accepts, merged in page order, each {@code ${ENV:NAME}} replaced by "from-the-environment":
     * the secrets the examples take from the environment are not in the tests' environment.
     */
    public static Map<String, String> propertiesBlocks(String page, Predicate<String> names)
    {
        Map<String, String> merged = new HashMap<>();
        for (String block : codeBlocks(page, "properties")) {
            Properties properties = new Properties();
            try {
                properties.load(Reader.of(block));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (properties.stringPropertyNames().stream().allMatch(names)) {
                properties.stringPropertyNames().forEach(name -> merged.put(name, properties.getProperty(name).replaceAll("\\$\\{ENV:\\w+}", "from-the-environment")));
            }
        }
        return merged;
    }
}
