package io.github.spectatorboot.actuate;

import io.github.spectatorboot.actuate.SpectatorEndpoint.BadTagFilter;
import io.github.spectatorboot.actuate.SpectatorEndpoint.Found;
import io.github.spectatorboot.actuate.SpectatorEndpoint.Lookup;
import io.github.spectatorboot.actuate.SpectatorEndpoint.NoMatchingMeter;
import io.github.spectatorboot.actuate.SpectatorEndpoint.UnknownName;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * {@code /actuator/spectator} over HTTP: the same JSON as {@link SpectatorEndpoint} for API
 * clients, a page with graphs of the recent steps for browsers ({@code Accept: text/html}), and
 * errors that say what was wrong and what exists.
 *
 * <p>Boot picks the representation from the {@code Accept} header: {@code text/html} gets the
 * page; no header, {@code *}{@code /*} and the JSON types get JSON, as before. Being an extension
 * of the endpoint, it is exposed, secured and served on the management port exactly as the
 * endpoint is.
 */
@EndpointWebExtension(endpoint = SpectatorEndpoint.class)
public class SpectatorWebEndpointExtension {

  private final SpectatorEndpoint endpoint;
  private final SpectatorPage page;

  /**
   * @param endpoint the endpoint whose answers this extends
   * @param history the recent steps to draw, or null when the history is off
   */
  public SpectatorWebEndpointExtension(SpectatorEndpoint endpoint, @Nullable StepHistory history) {
    this.endpoint = endpoint;
    this.page = new SpectatorPage(endpoint, history);
  }

  /** The endpoint's JSON, or for a browser the page listing the meters. */
  @ReadOperation(producesFrom = Representation.class)
  public Object describe(Representation representation) {
    if (representation == Representation.HTML) {
      return new WebEndpointResponse<>(page.index(endpoint.describe()), Representation.HTML.mimeType);
    }
    return endpoint.describe();
  }

  /**
   * The meters of a name as JSON, or for a browser their graphs; 400 or 404 with a body saying
   * what was wrong and what exists.
   *
   * @param representation JSON or HTML, from the {@code Accept} header
   * @param name the meter name
   * @param tag {@code key:value} filters
   * @param stat the page's statistic: {@code count}, {@code mean}, {@code max} or {@code value}
   * @param by the page's group-by tag key
   */
  @ReadOperation(producesFrom = Representation.class)
  public Object meter(Representation representation, @Selector String name, @Nullable List<String> tag,
      @Nullable String stat, @Nullable String by) {
    Lookup lookup = endpoint.lookup(name, tag);
    if (representation == Representation.HTML) {
      int status = lookup instanceof Found ? WebEndpointResponse.STATUS_OK : status(lookup);
      return new WebEndpointResponse<>(page.meter(name, tag, lookup, stat, by), status, Representation.HTML.mimeType);
    }
    if (lookup instanceof Found found) {
      return found.meter();
    }
    return new WebEndpointResponse<>(lookup, status(lookup));
  }

  private static int status(Lookup lookup) {
    if (lookup instanceof BadTagFilter bad) {
      return bad.status();
    }
    if (lookup instanceof UnknownName unknown) {
      return unknown.status();
    }
    return ((NoMatchingMeter) lookup).status();
  }

  /**
   * What the endpoint can answer, in the order Boot negotiates: the actuator's JSON types as for
   * every endpoint (v3 by default), then HTML, which a browser's {@code Accept} header selects.
   */
  public enum Representation implements Producible<Representation> {

    /** Actuator JSON, v3; the default, for {@code *}{@code /*} or no {@code Accept} header. */
    V3_JSON(ApiVersion.V3.getProducedMimeType()) {
      @Override public boolean isDefault() {
        return true;
      }
    },

    /** Actuator JSON, v2. */
    V2_JSON(ApiVersion.V2.getProducedMimeType()),

    /** Plain JSON. */
    JSON(MimeTypeUtils.APPLICATION_JSON),

    /** The page. */
    HTML(MimeType.valueOf("text/html;charset=UTF-8"));

    private final MimeType mimeType;

    Representation(MimeType mimeType) {
      this.mimeType = mimeType;
    }

    @Override public MimeType getProducedMimeType() {
      return mimeType;
    }
  }
}
