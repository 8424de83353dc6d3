package dev.datamesh.cli;

import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.Freshness;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.joining;

/**
 * The catalog page: one self-contained HTML document, readable offline and from any static
 * web server.
 */
final class CatalogPage
{
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
            h1{margin-bottom:0}h2{border-bottom:2px solid #ccc;margin-top:2.5rem}
            table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
            th{background:#f3f3f3}.ok{background:#d9f2d9}.breached{background:#f8d0d0}.unknown{background:#eee}
            .tag{display:inline-block;background:#e8e0f8;border-radius:.5rem;padding:0 .4rem;margin-right:.2rem;font-size:.85em}
            .read{background:#d9f2d9;text-align:center}.owner{background:#cfe3ff;text-align:center}.none{color:#aaa;text-align:center}
            .product{margin-left:1rem}.meta{color:#555}
            """;

    private final MeshRegistry registry;
    private final GlobalPolicy policy;
    private final SchemaInference inference;
    private final Clock clock;

    CatalogPage(MeshRegistry registry, GlobalPolicy policy, SchemaInference inference, Clock clock)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.inference = requireNonNull(inference, "inference is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String render()
    {
        StringBuilder html = new StringBuilder();
        Instant now = clock.instant();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data mesh catalog</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n");
        html.append("<h1>Data mesh catalog</h1>\n<p class=\"meta\" id=\"summary\">%s domains, %s data products, %s tables; generated %s</p>\n".formatted(
                registry.products().stream().map(DataProductDescriptor::domain).distinct().count(), registry.products().size(), registry.assets().size(), now));
        renderAccess(html);
        Map<String, List<DataProductDescriptor>> byDomain = registry.products().stream().collect(groupingBy(DataProductDescriptor::domain, TreeMap::new, java.util.stream.Collectors.toList()));
        byDomain.forEach((domain, products) -> {
            html.append("<h2 id=\"domain-%s\">Domain %s</h2>\n".formatted(escape(domain), escape(domain)));
            for (DataProductDescriptor product : products) {
                renderProduct(html, product, now);
            }
        });
        if (!registry.problems().isEmpty()) {
            html.append("<h2 id=\"problems\">Descriptor problems</h2>\n<ul>\n");
            for (DescriptorProblem problem : registry.problems()) {
                html.append("<li>%s:%s:%s: %s</li>\n".formatted(escape(problem.position().file().toString()), problem.position().line(), problem.position().column(), escape(problem.message())));
            }
            html.append("</ul>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    /**
     * Which roles can read which products, by the products' grants; owner teams read their own;
     * the global denials that override grants are listed under it.
     */
    private void renderAccess(StringBuilder html)
    {
        Set<String> roles = new TreeSet<>(policy.roles().members().keySet());
        registry.products().forEach(product -> product.accessControl().forEach(grant -> roles.add(grant.role())));
        html.append("<h2 id=\"access\">Who can read what</h2>\n<table id=\"access-matrix\"><tr><th>role</th>");
        for (DataProductDescriptor product : registry.products()) {
            html.append("<th>").append(escape(product.name())).append("</th>");
        }
        html.append("</tr>\n");
        for (String role : roles) {
            html.append("<tr><th>").append(escape(role)).append("</th>");
            for (DataProductDescriptor product : registry.products()) {
                Optional<AccessGrant> grant = product.accessControl().stream().filter(candidate -> candidate.role().equals(role)).findFirst();
                html.append(grant.map(value -> "<td class=\"read\">" + escape(value.permission().descriptorName()) + "</td>").orElse("<td class=\"none\">-</td>"));
            }
            html.append("</tr>\n");
        }
        html.append("<tr><th>owner team</th>");
        for (DataProductDescriptor product : registry.products()) {
            html.append("<td class=\"owner\">").append(escape(product.owner())).append("</td>");
        }
        html.append("</tr></table>\n");
        if (!policy.denials().isEmpty()) {
            html.append("<p>Global denials override these grants: ")
                    .append(policy.denials().stream().map(DenyRule::origin).map(origin -> "<code>" + escape(origin.name()) + "</code>").collect(joining(", ")))
                    .append(".</p>\n");
        }
    }

    private void renderProduct(StringBuilder html, DataProductDescriptor product, Instant now)
    {
        html.append("<section class=\"product\" id=\"product-%s\">\n<h3>%s <span class=\"meta\">v%s</span></h3>\n".formatted(escape(product.name()), escape(product.name()), escape(product.version())));
        html.append("<p>%s</p>\n".formatted(escape(product.description().orElse(""))));
        html.append("<p class=\"meta\">Owner: <b class=\"owner-name\">%s</b>. SLA: availability %s, freshness %s, support %s.</p>\n".formatted(
                escape(product.owner()),
                escape(product.sla().availability().orElse("-")),
                escape(product.sla().freshness().orElse("-")),
                escape(product.sla().support().orElse("-"))));
        for (RegisteredAsset asset : registry.assets()) {
            if (asset.product().name().equals(product.name())) {
                renderAsset(html, asset, now);
            }
        }
        html.append("</section>\n");
    }

    private void renderAsset(StringBuilder html, RegisteredAsset asset, Instant now)
    {
        String table = asset.schemaName() + "." + asset.tableName();
        Optional<Instant> latest = Optional.empty();
        String error = null;
        try {
            latest = inference.latestDataTime(asset);
        }
        catch (IOException | RuntimeException e) {
            error = e.getMessage();
        }
        Optional<Duration> lag = latest.map(time -> Duration.between(time, now));
        String status = Freshness.status(asset.product().sla().freshness().flatMap(Freshness::parse), lag);
        html.append("<h4 id=\"table-%s\">%s</h4>\n".formatted(escape(table), escape(table)));
        html.append("<p>%s</p>\n".formatted(escape(asset.asset().description().orElse(""))));
        html.append("<p class=\"meta\">%s at <code>%s</code>, updated %s. Freshness: <span class=\"status %s\">%s</span>%s%s</p>\n".formatted(
                escape(asset.asset().format().descriptorName()),
                escape(asset.location().map(Object::toString).orElseGet(() -> asset.catalogTable().orElseThrow().toString())),
                escape(asset.asset().updateFrequency().orElse("-")),
                status,
                status,
                latest.map(time -> ", latest data " + time).orElse(""),
                error == null ? "" : ", cannot read: " + escape(error)));
        html.append("<table class=\"columns\"><tr><th>column</th><th>type</th><th>description</th><th>classifications</th></tr>\n");
        if (asset.declaredSchema().isPresent()) {
            for (DeclaredColumn column : asset.declaredSchema().orElseThrow().columns()) {
                html.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n".formatted(
                        escape(column.name()), escape(column.type()), escape(column.description().orElse("")),
                        column.tags().stream().map(tag -> "<span class=\"tag\">" + escape(tag) + "</span>").collect(joining())));
            }
        }
        else {
            try {
                for (SchemaInference.InferredColumn column : inference.columns(asset)) {
                    html.append("<tr><td>%s</td><td>%s</td><td>%s</td><td></td></tr>\n".formatted(escape(column.name()), escape(column.type()), escape(column.description().orElse(""))));
                }
            }
            catch (IOException | RuntimeException e) {
                html.append("<tr><td colspan=\"4\">cannot read the data: %s</td></tr>\n".formatted(escape(e.getMessage())));
            }
        }
        html.append("</table>\n");
    }

    private static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
