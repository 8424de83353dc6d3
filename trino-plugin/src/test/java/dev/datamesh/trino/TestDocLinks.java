package dev.datamesh.trino;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manual's links hold: every relative link of README.md and docs/*.md names a file of the
 * repository, and every {@code #anchor} a heading of the page it points to, by GitHub's rules for
 * heading anchors. Links to other sites are not followed (no network).
 */
final class TestDocLinks
{
    // [text](target) or [text](target "title"); images alike
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    @Test
    void testEveryLinkOfTheManualHolds()
    {
        List<Path> pages = DocPages.pages();
        assertThat(pages).extracting(page -> SampleMeshDirectory.repositoryRoot().relativize(page).toString().replace('\\', '/'))
                .contains("README.md", "docs/connector.md", "docs/descriptors.md", "docs/governance.md", "docs/storage.md", "docs/deployment.md", "docs/development.md");
        assertThat(brokenLinks(SampleMeshDirectory.repositoryRoot(), pages)).isEmpty();
    }

    @Test
    void testBrokenLinksAreFound(@TempDir Path root)
            throws IOException
    {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), """
                # Title

                [fine](docs/page.md) [fine](docs/page.md#statistics-and-analyze) [fine](#title) [outside](https://example.com/missing)
                [missing page](docs/nowhere.md) [missing anchor](docs/page.md#statistics) [missing here](#no-such-heading)

                ```
                [inside a code block](docs/ignored.md)
                ```
                """);
        Files.writeString(root.resolve("docs/page.md"), """
                # Page

                ## Statistics and `ANALYZE`

                ## The mesh's own catalog: `system.*` (read-only)

                ## Twice

                ## Twice

                [fine](../README.md#title) [fine](#the-meshs-own-catalog-system-read-only) [fine](#twice-1) [missing](#twice-2)
                """);

        assertThat(brokenLinks(root, List.of(root.resolve("README.md"), root.resolve("docs/page.md")))).containsExactly(
                "README.md: [missing page](docs/nowhere.md): no such file",
                "README.md: [missing anchor](docs/page.md#statistics): docs/page.md has no heading with anchor #statistics",
                "README.md: [missing here](#no-such-heading): README.md has no heading with anchor #no-such-heading",
                "docs/page.md: [missing](#twice-2): docs/page.md has no heading with anchor #twice-2");
    }

    @Test
    void testHeadingAnchorsFollowGitHub()
    {
        assertThat(anchor("Statistics and `ANALYZE`")).isEqualTo("statistics-and-analyze");
        assertThat(anchor("The mesh's own catalog")).isEqualTo("the-meshs-own-catalog");
        assertThat(anchor("Writes, catalogs and impersonation")).isEqualTo("writes-catalogs-and-impersonation");
        assertThat(anchor("1. A certificate")).isEqualTo("1-a-certificate");
        assertThat(anchor("Configuration (`etc/catalog/mesh.properties`)")).isEqualTo("configuration-etccatalogmeshproperties");
        assertThat(anchor("snake_case and kebab-case")).isEqualTo("snake_case-and-kebab-case");
        assertThat(anchor("A [linked](https://example.com) heading")).isEqualTo("a-linked-heading");
    }

    /**
     * One line per broken link: the page, the link as written, what is wrong.
     */
    static List<String> brokenLinks(Path root, List<Path> pages)
    {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String name = relative(root, page);
            Matcher link = LINK.matcher(withoutCode(read(page)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    // https:, mailto: ...: another site's, not checked
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!linked.startsWith(root) || !Files.exists(linked)) {
                    broken.add("%s: %s: no such file".formatted(name, link.group()));
                    continue;
                }
                if (hash < 0) {
                    continue;
                }
                String anchor = target.substring(hash + 1);
                if (!linked.getFileName().toString().endsWith(".md")) {
                    broken.add("%s: %s: only Markdown pages have anchors".formatted(name, link.group()));
                }
                else if (!anchors.computeIfAbsent(linked, TestDocLinks::headingAnchors).contains(anchor)) {
                    broken.add("%s: %s: %s has no heading with anchor #%s".formatted(name, link.group(), relative(root, linked), anchor));
                }
            }
        }
        return broken;
    }

    /**
     * The anchors GitHub gives a page's headings; a repeated heading gets -1, -2, ... after the first.
     */
    static Set<String> headingAnchors(Path page)
    {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : read(page).split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String anchor = anchor(heading.group(2));
            int count = seen.merge(anchor, 1, Integer::sum);
            anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
        }
        return anchors;
    }

    /**
     * GitHub's anchor of a heading: its text (links by their text, code without backticks) in lower
     * case, without punctuation other than '-' and '_', spaces as '-'.
     */
    static String anchor(String heading)
    {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder anchor = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                anchor.appendCodePoint(c);
            }
            else if (c == ' ') {
                anchor.append('-');
            }
        });
        return anchor.toString();
    }

    /**
     * The page without its fenced code blocks and inline code, whose brackets are not links.
     */
    private static String withoutCode(String text)
    {
        StringBuilder prose = new StringBuilder();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                // inline code inside a link's text stays: [`policy.schema.json`](...)
                prose.append(line.replaceAll("(?<!\\[)`[^`]*`(?!])", "code")).append('\n');
            }
        }
        return prose.toString();
    }

    private static String read(Path page)
    {
        try {
            return Files.readString(page);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path root, Path page)
    {
        return root.relativize(page).toString().replace('\\', '/');
    }
}
