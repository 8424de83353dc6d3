package dev.datamesh.trino;

import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

/**
 * One Iceberg catalog the platform declares for descriptors to name, bound under
 * {@code mesh.iceberg-catalog.<name>.}; its free Iceberg properties ({@code .property.<key>}) are
 * read by {@link MeshIcebergCatalogModule}, since airlift binds fixed names only.
 */
public class MeshIcebergCatalogConfig
{
    private IcebergCatalogDescriptor.Type type;
    private String uri;
    private String warehouse;
    private String catalogName;
    private String credential;
    private String token;

    @NotNull
    public IcebergCatalogDescriptor.Type getType()
    {
        return type;
    }

    @Config("type")
    @ConfigDescription("jdbc: an Iceberg JDBC catalog; rest: an Iceberg REST catalog service")
    public MeshIcebergCatalogConfig setType(IcebergCatalogDescriptor.Type type)
    {
        this.type = type;
        return this;
    }

    @NotNull
    public String getUri()
    {
        return uri;
    }

    @Config("uri")
    @ConfigDescription("jdbc: the JDBC URL of the catalog's database; rest: the base URL of the catalog service")
    public MeshIcebergCatalogConfig setUri(String uri)
    {
        this.uri = uri;
        return this;
    }

    public Optional<String> getWarehouse()
    {
        return Optional.ofNullable(warehouse);
    }

    @Config("warehouse")
    @ConfigDescription("jdbc: the location new tables go to; rest: the warehouse the service serves")
    public MeshIcebergCatalogConfig setWarehouse(String warehouse)
    {
        this.warehouse = warehouse;
        return this;
    }

    public Optional<String> getCatalogName()
    {
        return Optional.ofNullable(catalogName);
    }

    @Config("catalog-name")
    @ConfigDescription("The catalog's name for Iceberg (for jdbc the catalog_name its tables are stored under); default: the name descriptors give")
    public MeshIcebergCatalogConfig setCatalogName(String catalogName)
    {
        this.catalogName = catalogName;
        return this;
    }

    public Optional<String> getCredential()
    {
        return Optional.ofNullable(credential);
    }

    @Config("credential")
    @ConfigSecuritySensitive
    @ConfigDescription("rest: the OAuth2 client credential, client_id:client_secret")
    public MeshIcebergCatalogConfig setCredential(String credential)
    {
        this.credential = credential;
        return this;
    }

    public Optional<String> getToken()
    {
        return Optional.ofNullable(token);
    }

    @Config("token")
    @ConfigSecuritySensitive
    @ConfigDescription("rest: a bearer token")
    public MeshIcebergCatalogConfig setToken(String token)
    {
        this.token = token;
        return this;
    }

    @AssertTrue(message = "credential and token are for rest catalogs; a jdbc catalog takes its database user and password as property.jdbc.user and property.jdbc.password")
    public boolean isAuthenticationForRest()
    {
        return type != IcebergCatalogDescriptor.Type.JDBC || (credential == null && token == null);
    }
}
