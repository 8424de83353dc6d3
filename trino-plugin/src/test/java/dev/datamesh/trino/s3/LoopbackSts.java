package dev.datamesh.trino.s3;

import com.google.common.collect.ImmutableList;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * An STS endpoint on loopback: AssumeRole of one role answers with the keys of an S3 server and a
 * session token, as AWS STS answers with a role's temporary credentials; any other role is refused
 * (AccessDenied), as a role whose trust policy does not name the caller is. Signatures are not
 * checked; the caller's access key is recorded with each request.
 */
final class LoopbackSts
        implements AutoCloseable
{
    private static final Pattern CALLER = Pattern.compile("Credential=([^/]+)/");

    record AssumeRole(String roleArn, String externalId, String callerAccessKey) {}

    private final HttpServer server;
    private final String roleArn;
    private final String accessKey;
    private final String secretKey;
    private final List<AssumeRole> requests = new CopyOnWriteArrayList<>();

    LoopbackSts(String roleArn, String accessKey, String secretKey)
            throws IOException
    {
        this.roleArn = requireNonNull(roleArn, "roleArn is null");
        this.accessKey = requireNonNull(accessKey, "accessKey is null");
        this.secretKey = requireNonNull(secretKey, "secretKey is null");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<AssumeRole> requests()
    {
        return ImmutableList.copyOf(requests);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            Map<String, String> form = Arrays.stream(new String(exchange.getRequestBody().readAllBytes(), UTF_8).split("&"))
                    .map(pair -> pair.split("=", 2))
                    .collect(toImmutableMap(pair -> URLDecoder.decode(pair[0], UTF_8), pair -> pair.length > 1 ? URLDecoder.decode(pair[1], UTF_8) : ""));
            Matcher caller = CALLER.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            requests.add(new AssumeRole(form.get("RoleArn"), form.getOrDefault("ExternalId", ""), caller.find() ? caller.group(1) : ""));
            if (!"AssumeRole".equals(form.get("Action")) || !roleArn.equals(form.get("RoleArn"))) {
                respond(exchange, 403, """
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole on %s</Message></Error>
                          <RequestId>loopback</RequestId>
                        </ErrorResponse>""".formatted(form.get("RoleArn")));
                return;
            }
            respond(exchange, 200, """
                    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleResult>
                        <Credentials>
                          <AccessKeyId>%s</AccessKeyId>
                          <SecretAccessKey>%s</SecretAccessKey>
                          <SessionToken>loopback-session-token</SessionToken>
                          <Expiration>%s</Expiration>
                        </Credentials>
                        <AssumedRoleUser>
                          <AssumedRoleId>AROALOOPBACK:%s</AssumedRoleId>
                          <Arn>%s</Arn>
                        </AssumedRoleUser>
                      </AssumeRoleResult>
                      <ResponseMetadata><RequestId>loopback</RequestId></ResponseMetadata>
                    </AssumeRoleResponse>""".formatted(accessKey, secretKey, Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS), form.get("RoleSessionName"), roleArn));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body)
            throws IOException
    {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
