package dev.datamesh.trino;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The packaged plugin on a real Trino server that speaks HTTPS only and authenticates users with
 * Trino's password file authenticator, the recipe docs/deployment.md gives for a deployment: a certificate
 * made by the test, a password file with a bcrypt hash (as htpasswd -B writes it) and a PBKDF2 hash
 * (made with the JDK), no plain HTTP listener, so that no client can claim a user name it cannot
 * prove. Run by failsafe after the zip is built (mvn verify).
 */
@TestInstance(PER_CLASS)
final class TestPasswordAuthenticationOverHttps
{
    private static final String KEYSTORE_PASSWORD = "mesh-https-keystore";
    private static final Map<String, String> PASSWORDS = ImmutableMap.of(
            "alice", "alice-secret",
            "bob", "bob-secret");

    private TrinoServerProcess server;
    private Path keystore;
    private int httpsPort;

    @BeforeAll
    void startServer()
            throws Exception
    {
        Path root = TestFiles.temporaryDirectory("trino-https");
        keystore = root.resolve("server.p12");
        TrinoServerProcess.createLocalhostKeystore(keystore, KEYSTORE_PASSWORD);
        Path passwords = root.resolve("password.db");
        Files.write(passwords, List.of(
                "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, PASSWORDS.get("alice").toCharArray()),
                "bob:" + pbkdf2(PASSWORDS.get("bob"))));

        httpsPort = TrinoServerProcess.freePort();
        server = TrinoServerProcess.builder()
                // without an HTTP listener the node has no URI to announce to discovery unless internal
                // communication is HTTPS as well (start-up fails with "current node not returned from
                // service selector"); Trino then makes the nodes' internal certificates from the shared secret
                .withConfigProperties("""
                        http-server.http.enabled=false
                        http-server.https.enabled=true
                        http-server.https.port=%1$s
                        http-server.https.keystore.path=%2$s
                        http-server.https.keystore.key=%3$s
                        http-server.authentication.type=PASSWORD
                        internal-communication.shared-secret=%4$s
                        internal-communication.https.required=true
                        discovery.uri=https://127.0.0.1:%1$s
                        """.formatted(httpsPort, keystore, KEYSTORE_PASSWORD, UUID.randomUUID()))
                .withEtcFile("password-authenticator.properties", "password-authenticator.name=file\nfile.password-file=" + passwords + "\n")
                .withEtcFile("catalog/mesh.properties", "connector.name=data_mesh\nmesh.descriptors.directory=" + SampleMeshDirectory.create() + "\n")
                .start(Duration.ofMinutes(3), () -> TrinoServerProcess.answersSampleQuery(() -> DriverManager.getConnection(httpsUrl(), "alice", PASSWORDS.get("alice"))));
    }

    @AfterAll
    void stopServer()
            throws Exception
    {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void testPasswordsAuthenticateUsers()
            throws SQLException
    {
        for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
            try (Connection connection = DriverManager.getConnection(httpsUrl(), user.getKey(), user.getValue());
                    Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT current_user")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(user.getKey());
                }
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM mesh.customer_service.customer_profile")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(SampleMesh.CUSTOMER_COUNT);
                }
            }
        }
    }

    @Test
    void testWrongPasswordsAndUnknownUsersAreRefused()
    {
        // each user's own hash decides: bob's password does not open alice's account, nor the reverse
        assertThatThrownBy(() -> query("alice", PASSWORDS.get("bob")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        assertThatThrownBy(() -> query("bob", PASSWORDS.get("alice")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        assertThatThrownBy(() -> query("mallory", "mallory-secret"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        // a user name without a password is no identity
        assertThatThrownBy(() -> query("alice", null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Unauthorized");
    }

    @Test
    void testNothingIsServedOverPlainHttp()
            throws SQLException
    {
        String plainUrl = "jdbc:trino://localhost:%s/mesh".formatted(httpsPort);
        // the driver sends no password in clear
        assertThatThrownBy(() -> DriverManager.getConnection(plainUrl, "alice", PASSWORDS.get("alice")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("TLS/SSL is required for authentication with username and password");
        // a client that only names a user finds no plain HTTP: the server's one port speaks TLS and hangs up
        assertThatThrownBy(() -> query(plainUrl, "alice", null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Error executing query: java.io.IOException: unexpected end of stream on http://localhost:%s/".formatted(httpsPort));
        // and the node announces itself, to clients and to the cluster, on HTTPS only
        ImmutableList.Builder<String> uris = ImmutableList.builder();
        try (Connection connection = DriverManager.getConnection(httpsUrl(), "alice", PASSWORDS.get("alice"));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT http_uri FROM system.runtime.nodes")) {
            while (rs.next()) {
                uris.add(rs.getString(1));
            }
        }
        assertThat(uris.build()).singleElement().asString()
                .startsWith("https://")
                .endsWith(":" + httpsPort);
    }

    private void query(String user, String password)
            throws SQLException
    {
        query(httpsUrl(), user, password);
    }

    private static void query(String url, String user, String password)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1").close();
        }
    }

    private String httpsUrl()
    {
        return "jdbc:trino://localhost:%s/mesh?SSL=true&SSLTrustStorePath=%s&SSLTrustStorePassword=%s&SSLTrustStoreType=PKCS12".formatted(httpsPort, keystore, KEYSTORE_PASSWORD);
    }

    /**
     * The PBKDF2 line of Trino's file authenticator: iterations:salt:hash, hex, with
     * PBKDF2WithHmacSHA1 (what its EncryptionUtil checks with) and at least 1000 iterations.
     */
    private static String pbkdf2(String password)
            throws GeneralSecurityException
    {
        int iterations = 100_000;
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                .getEncoded();
        return iterations + ":" + HexFormat.of().formatHex(salt) + ":" + HexFormat.of().formatHex(hash);
    }
}
