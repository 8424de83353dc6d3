package dev.datamesh.trino;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Says why storage failed, in the words of what to check: file systems report "Failed to list
 * location" or a bare path, and keep the store's answer (access denied, no such bucket, endpoint
 * unreachable) in the cause.
 */
public final class StorageFailures
{
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken");

    private StorageFailures() {}

    /**
     * The S3 storage an asset is read with, as its errors name it: never a key.
     *
     * @param name how errors name it, e.g. "storage profile 'finance'"
     * @param propertyPrefix what its s3.* properties are prefixed with in the catalog file
     */
    public record Storage(String name, String propertyPrefix, Optional<String> iamRole, Optional<String> stsEndpoint)
    {
        public Storage
        {
            requireNonNull(name, "name is null");
            requireNonNull(propertyPrefix, "propertyPrefix is null");
            requireNonNull(iamRole, "iamRole is null");
            requireNonNull(stsEndpoint, "stsEndpoint is null");
        }
    }

    /**
     * The failure's message, followed by the reason its causes give when they give one.
     */
    public static String explain(Throwable failure)
    {
        return explain(failure, Optional.empty());
    }

    /**
     * @param storage the storage the failing read used, when known: the reason then names its properties
     */
    public static String explain(Throwable failure, Optional<Storage> storage)
    {
        String message = String.valueOf(failure.getMessage());
        return reason(failure, storage)
                .filter(reason -> !message.contains(reason))
                .map(reason -> message + ": " + reason)
                .orElse(message);
    }

    private static Optional<String> reason(Throwable failure, Optional<Storage> storage)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (loadsCredentials(cause)) {
                return Optional.of(credentialsReason(cause, storage));
            }
            if (cause instanceof AwsServiceException service) {
                return Optional.of(serviceReason(service, storage));
            }
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
                return Optional.of("the S3 endpoint did not answer in time");
            }
            if (cause instanceof SdkClientException client) {
                return Optional.of(clientReason(client, storage));
            }
            if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
                return Optional.of("the file does not exist (removed or moved after the table's log or metadata named it?)");
            }
        }
        return Optional.empty();
    }

    /**
     * The SDK throws a credentials provider's failure (STS down, no identity in the default
     * chain) as it is, from inside the S3 call it was resolving credentials for: only STS's own
     * exception type or the stack tells it from a failure of the S3 request.
     */
    private static boolean loadsCredentials(Throwable failure)
    {
        return failure instanceof StsException ||
                (failure instanceof SdkClientException && Arrays.stream(failure.getStackTrace()).anyMatch(frame ->
                        frame.getClassName().startsWith("software.amazon.awssdk.") &&
                                (frame.getMethodName().equals("resolveCredentials") || frame.getMethodName().equals("resolveIdentity"))));
    }

    private static String credentialsReason(Throwable failure, Optional<Storage> storage)
    {
        String credentials = "the credentials of %s could not be obtained".formatted(storage.map(Storage::name).orElse("the storage profile"));
        Optional<String> iamRole = storage.flatMap(Storage::iamRole);
        if (failure instanceof StsException || iamRole.isPresent()) {
            String role = iamRole.map(" %s"::formatted).orElse("");
            String endpoint = storage.flatMap(Storage::stsEndpoint).map("the STS endpoint %s"::formatted).orElse("STS");
            return "%s: assuming role%s at %s failed: %s; check %s, %s and %s%s, and that STS is reachable from every node and lets the caller assume the role".formatted(
                    credentials, role, endpoint, stsReason(failure),
                    property(storage, "s3.iam-role"), property(storage, "s3.external-id"), property(storage, "s3.sts.endpoint"), ofStorage(storage));
        }
        return "%s (%s); set %s and %s, or %s%s, or give the server an AWS identity (environment, profile file, web identity token, instance or container role)".formatted(
                credentials, failure.getMessage(), property(storage, "s3.aws-access-key"), property(storage, "s3.aws-secret-key"), property(storage, "s3.iam-role"), ofStorage(storage));
    }

    private static String stsReason(Throwable failure)
    {
        if (failure instanceof StsException sts) {
            AwsErrorDetails details = sts.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "error" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage();
            return "STS answered %s (HTTP %s)%s".formatted(code, sts.statusCode(), message);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return "cannot connect (%s)".formatted(cause.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return "STS did not answer in time (%s)".formatted(cause.getMessage());
            }
        }
        return String.valueOf(failure.getMessage());
    }

    private static String serviceReason(AwsServiceException service, Optional<Storage> storage)
    {
        AwsErrorDetails details = service.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "HTTP " + service.statusCode() : details.errorCode();
        if (ACCESS_DENIED.contains(code) || service.statusCode() == 403) {
            return "S3 denied access (%s): check the keys or role of the storage profile the asset is read with".formatted(code);
        }
        if (code.equals("NoSuchBucket")) {
            return "the bucket does not exist (NoSuchBucket)";
        }
        if (code.equals("NoSuchKey") || service.statusCode() == 404) {
            return "the object does not exist (%s)".formatted(code);
        }
        if (service.statusCode() >= 500 || code.equals("SlowDown")) {
            return "S3 kept failing (%s, HTTP %s) %s: the store is overloaded or failing; try again later, or raise %s%s (the number of attempts, the first included)".formatted(
                    code, service.statusCode(), attempts(service), property(storage, "s3.max-error-retries"), ofStorage(storage));
        }
        String message = details == null ? null : details.errorMessage();
        return "S3 answered %s (HTTP %s)%s".formatted(code, service.statusCode(), message == null ? "" : ": " + message);
    }

    private static String clientReason(SdkClientException client, Optional<Storage> storage)
    {
        for (Throwable cause = client; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return "cannot connect to the S3 endpoint (%s)".formatted(cause.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return "the S3 endpoint did not answer in time (%s, %s): check that it is up, or raise %s or %s%s".formatted(
                        cause.getMessage(), attempts(client), property(storage, "s3.socket-connect-timeout"), property(storage, "s3.socket-read-timeout"), ofStorage(storage));
            }
        }
        return "the S3 request failed: " + client.getMessage();
    }

    private static String attempts(SdkException failure)
    {
        Integer attempts = failure.numAttempts();
        if (attempts == null) {
            return "after its retries";
        }
        return attempts == 1 ? "in 1 attempt" : "in %s attempts".formatted(attempts);
    }

    /**
     * The property's name in the catalog file, when the storage is known.
     */
    private static String property(Optional<Storage> storage, String name)
    {
        return storage.map(Storage::propertyPrefix).orElse("") + name;
    }

    private static String ofStorage(Optional<Storage> storage)
    {
        return storage.isPresent() ? "" : " of the storage profile the asset is read with";
    }
}
