package dev.datamesh.trino;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;

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
     * The failure's message, followed by the reason its causes give when they give one.
     */
    public static String explain(Throwable failure)
    {
        String message = String.valueOf(failure.getMessage());
        return reason(failure)
                .filter(reason -> !message.contains(reason))
                .map(reason -> message + ": " + reason)
                .orElse(message);
    }

    static Optional<String> reason(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AwsServiceException service) {
                return Optional.of(serviceReason(service));
            }
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
                return Optional.of("the S3 endpoint did not answer in time");
            }
            if (cause instanceof SdkClientException client) {
                return Optional.of(clientReason(client));
            }
            if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
                return Optional.of("the file does not exist (removed or moved after the table's log or metadata named it?)");
            }
        }
        return Optional.empty();
    }

    private static String serviceReason(AwsServiceException service)
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
            return "S3 kept failing (%s, HTTP %s) after the retries".formatted(code, service.statusCode());
        }
        String message = details == null ? null : details.errorMessage();
        return "S3 answered %s (HTTP %s)%s".formatted(code, service.statusCode(), message == null ? "" : ": " + message);
    }

    private static String clientReason(SdkClientException client)
    {
        for (Throwable cause = client; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return "cannot connect to the S3 endpoint (%s)".formatted(cause.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return "the S3 endpoint did not answer in time";
            }
        }
        return "the S3 request failed: " + client.getMessage();
    }
}
