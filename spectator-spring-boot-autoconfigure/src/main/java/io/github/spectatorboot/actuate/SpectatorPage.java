package io.github.spectatorboot.actuate;

import com.netflix.spectator.api.Statistic;
import io.github.spectatorboot.actuate.SpectatorEndpoint.AvailableTag;
import io.github.spectatorboot.actuate.SpectatorEndpoint.BadTagFilter;
import io.github.spectatorboot.actuate.SpectatorEndpoint.Found;
import io.github.spectatorboot.actuate.SpectatorEndpoint.Lookup;
import io.github.spectatorboot.actuate.SpectatorEndpoint.MeterDescriptor;
import io.github.spectatorboot.actuate.SpectatorEndpoint.MeterView;
import io.github.spectatorboot.actuate.SpectatorEndpoint.NoMatchingMeter;
import io.github.spectatorboot.actuate.SpectatorEndpoint.SpectatorDescriptor;
import io.github.spectatorboot.actuate.SpectatorEndpoint.UnknownName;
import io.github.spectatorboot.lwc.LwcStatus;
import io.github.spectatorboot.publish.PublisherStatus;
import io.github.spectatorboot.registry.AtlasNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriUtils;

/**
 * Renders the endpoint's HTML: the meter names grouped by prefix with a filter box, and for one
 * name a small SVG graph per series (or per value of a group-by tag) over the recent steps, in the
 * units Atlas shows, with the value so far in the step in progress and the Atlas stack query of
 * each graph. Plain HTML and a few lines of JavaScript (filter, copy, reload at the next step):
 * nothing is loaded from elsewhere.
 */
final class SpectatorPage {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int WIDTH = 300;
  private static final int HEIGHT = 80;
  private static final int PAD = 4;
  private static final int MAX_GRAPHS = 100;
  /** After the step boundary, the poll comes at most a second later (StepSchedule's offset); reload after it. */
  private static final long RELOAD_DELAY_MILLIS = 1500;

  private static final String COUNT_STAT = Statistic.count.name();
  private static final String MAX_STAT = Statistic.max.name();
  private static final String TOTAL_TIME = Statistic.totalTime.name();
  private static final String TOTAL_AMOUNT = Statistic.totalAmount.name();

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:8px 12px;max-width:1200px;color:#222}
      h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:12px 0 4px}
      a{color:#0645ad}.muted{color:#666}.err{color:#b00}
      dl.state{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:4px 0}dl.state dt{color:#666}
      dl.state dd{margin:0;overflow-wrap:anywhere}
      ul.subs{padding-left:1.2em;margin:4px 0}ul.subs code{overflow-wrap:anywhere}
      ul.names{list-style:none;padding:0;margin:0;columns:16em}ul.names li{break-inside:avoid}
      input[type=search]{font:inherit;padding:4px;width:100%;max-width:24em;box-sizing:border-box}
      .bar a,.bar span{display:inline-block;margin:0 6px 4px 0;padding:1px 6px;border:1px solid #ccc;border-radius:3px;text-decoration:none}
      .bar span.on{background:#0645ad;color:#fff;border-color:#0645ad}
      .graphs{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px}
      .graph{border:1px solid #ddd;border-radius:4px;padding:6px}
      .graph h3{font-size:13px;font-weight:600;margin:0 0 2px;overflow-wrap:anywhere}
      .graph svg{width:100%;height:80px;display:block;background:#fafafa}
      .graph svg path{fill:none;stroke:#1f77b4;stroke-width:1.5;vector-effect:non-scaling-stroke}
      .graph svg circle{fill:#1f77b4}
      .axis{display:flex;justify-content:space-between;font-size:11px;color:#666}
      code.q{display:block;font-size:11px;background:#f3f3f3;padding:3px;overflow-wrap:anywhere;user-select:all}
      button.copy{font-size:11px;margin-top:2px}
      """;

  private static final String SCRIPT = """
      (function(){
        var f=document.getElementById('filter');
        if(f){
          var apply=function(){var t=f.value.toLowerCase();
            document.querySelectorAll('section.group').forEach(function(s){var any=false;
              s.querySelectorAll('li').forEach(function(li){var on=li.getAttribute('data-name').toLowerCase().indexOf(t)>=0;
                li.style.display=on?'':'none';any=any||on;});
              s.style.display=any?'':'none';});
            if(history.replaceState){history.replaceState(null,'',t?'#'+encodeURIComponent(t):location.pathname+location.search);}};
          if(location.hash.length>1){f.value=decodeURIComponent(location.hash.substring(1));}
          f.addEventListener('input',apply);apply();
        }
        document.querySelectorAll('button.copy').forEach(function(b){b.addEventListener('click',function(){
          if(navigator.clipboard){navigator.clipboard.writeText(b.getAttribute('data-q'));}});});
        var r=document.body.getAttribute('data-reload-ms');
        if(r){setTimeout(function(){location.reload();},+r);}
      })();
      """;

  private final SpectatorEndpoint endpoint;
  private final @Nullable StepHistory history;

  SpectatorPage(SpectatorEndpoint endpoint, @Nullable StepHistory history) {
    this.endpoint = endpoint;
    this.history = history;
  }

  /** The names, grouped by the part before their first dot. */
  String index(SpectatorDescriptor d) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (String name : d.names()) {
      int dot = name.indexOf('.');
      groups.computeIfAbsent(dot > 0 ? name.substring(0, dot) : name, k -> new ArrayList<>()).add(name);
    }
    StringBuilder b = new StringBuilder(4096);
    head(b, "Spectator meters");
    b.append("<h1>Spectator meters</h1>");
    settings(b, d);
    b.append("<p><input id=\"filter\" type=\"search\" placeholder=\"filter names\" aria-label=\"filter names\"></p>");
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      b.append("<section class=\"group\"><h2>").append(esc(g.getKey())).append("</h2><ul class=\"names\">");
      for (String name : g.getValue()) {
        b.append("<li data-name=\"").append(esc(name)).append("\"><a href=\"spectator/")
            .append(UriUtils.encodePathSegment(name, StandardCharsets.UTF_8)).append("\">")
            .append(esc(name)).append("</a></li>");
      }
      b.append("</ul></section>");
    }
    return tail(b);
  }

  /** One name's graphs, or what was wrong with the request. */
  String meter(String name, @Nullable List<String> tag, Lookup lookup, @Nullable String stat, @Nullable String by) {
    StringBuilder b = new StringBuilder(8192);
    head(b, name);
    b.append("<p><a href=\"../spectator\">&larr; all meters</a></p><h1>").append(esc(name)).append("</h1>");
    if (!(lookup instanceof Found found)) {
      problem(b, name, lookup);
      return tail(b);
    }
    MeterDescriptor d = found.meter();
    String type = d.meters().get(0).type();
    Choice choice = Choice.of(type, stat);
    boolean seconds = "timer".equals(type);
    Map<String, String> filters = SpectatorEndpoint.parseFilters(tag);
    String groupBy = by != null && !by.isEmpty() ? by : null;

    b.append("<p class=\"muted\">").append(esc(type)).append(" &middot; step ")
        .append(esc(java.time.Duration.ofMillis(endpoint.registry().stepMillis()).toString().substring(2).toLowerCase(Locale.ROOT)))
        .append(" &middot; the step in progress ends at ").append(TIME.format(Instant.ofEpochMilli(d.inProgressTimestamp())))
        .append(" UTC; the page reloads then</p>");
    controls(b, d, filters, choice, groupBy);
    graphs(b, name, d, filters, new Units(choice, seconds), groupBy);
    publisher(b, endpoint.publisherStatus());
    return tail(b);
  }

  private static void controls(StringBuilder b, MeterDescriptor d, Map<String, String> filters, Choice choice,
      @Nullable String groupBy) {
    b.append("<div class=\"bar\">statistic: ");
    for (Choice c : Choice.forType(d.meters().get(0).type())) {
      if (c == choice) {
        b.append("<span class=\"on\">").append(c.key).append("</span>");
      } else {
        b.append("<a href=\"").append(esc(link(filters, c, groupBy))).append("\">").append(c.key).append("</a>");
      }
    }
    b.append("</div><div class=\"bar\">group by: ");
    if (groupBy == null) {
      b.append("<span class=\"on\">series</span>");
    } else {
      b.append("<a href=\"").append(esc(link(filters, choice, null))).append("\">series</a>");
    }
    for (AvailableTag t : d.availableTags()) {
      if (t.values().size() < 2) {
        continue;
      }
      if (t.tag().equals(groupBy)) {
        b.append("<span class=\"on\">").append(esc(t.tag())).append("</span>");
      } else {
        b.append("<a href=\"").append(esc(link(filters, choice, t.tag()))).append("\">").append(esc(t.tag())).append("</a>");
      }
    }
    b.append("</div><div class=\"bar\">filter: ");
    for (Map.Entry<String, String> f : filters.entrySet()) {
      Map<String, String> without = new TreeMap<>(filters);
      without.remove(f.getKey());
      b.append("<a class=\"filter-on\" title=\"remove\" href=\"").append(esc(link(without, choice, groupBy))).append("\">")
          .append(esc(f.getKey() + "=" + f.getValue())).append(" &times;</a>");
    }
    for (AvailableTag t : d.availableTags()) {
      if (t.values().size() < 2) {
        continue;
      }
      for (String v : t.values()) {
        Map<String, String> with = new TreeMap<>(filters);
        with.put(t.tag(), v);
        b.append("<a href=\"").append(esc(link(with, choice, groupBy))).append("\">").append(esc(t.tag() + "=" + v))
            .append("</a>");
      }
    }
    b.append("</div>");
  }

  private void graphs(StringBuilder b, String name, MeterDescriptor d, Map<String, String> filters, Units units,
      @Nullable String groupBy) {
    Choice choice = units.choice();
    Map<String, String> common = endpoint.registry().commonTags();
    // group the meters: by the value of the group-by tag, or one group per meter
    Map<String, Group> groups = new LinkedHashMap<>();
    // a graph's title: the tags that tell its meter from the others
    List<String> varying = d.availableTags().stream().filter(t -> t.values().size() > 1).map(AvailableTag::tag).toList();
    for (MeterView m : d.meters()) {
      Map<String, String> queryTags = new TreeMap<>(filters);
      if (groupBy != null) {
        queryTags.put(groupBy, m.tags().getOrDefault(groupBy, "(none)"));
      } else {
        m.tags().forEach((k, v) -> {
          if (!v.equals(common.get(k))) {
            queryTags.put(k, v);
          }
        });
      }
      String key = groupBy != null ? groupBy + "=" + queryTags.get(groupBy) : label(m.tags(), varying);
      groups.computeIfAbsent(key, k -> new Group(k, queryTags)).meters.add(m);
    }
    StepHistory.Window window = history == null ? null
        : history.window(endpoint.matcher(name, filters));
    Map<Map<String, String>, Map<String, double[]>> byTags = new LinkedHashMap<>();
    if (window != null) {
      for (StepHistory.Series s : window.series()) {
        Map<String, String> tags = SpectatorEndpoint.fullTags(s.id(), common);
        tags.remove(AtlasNames.STATISTIC);
        byTags.computeIfAbsent(tags, k -> new TreeMap<>()).put(s.statistic(), s.values());
      }
    }
    b.append("<h2>").append(esc(choice.title)).append("</h2>");
    if (groupBy != null) {
      b.append("<p>Atlas, all groups: <code class=\"q\">").append(esc(choice.query(name, filters) + ",(," + groupBy + ",),:by"))
          .append("</code></p>");
    }
    if (history == null) {
      b.append("<p class=\"muted\">The history is off (spectator.history.steps=0): values of the last step only.</p>");
    } else if (history.untrackedSeries() > 0) {
      b.append("<p class=\"err\">").append(history.untrackedSeries()).append(" series of the last step are not kept: ")
          .append("the history holds at most ").append(history.maxSeries()).append(" (spectator.history.max-series).</p>");
    }
    b.append("<div class=\"graphs\">");
    int drawn = 0;
    for (Group g : groups.values()) {
      if (drawn++ == MAX_GRAPHS) {
        b.append("</div><p class=\"muted\">").append(groups.size() - MAX_GRAPHS)
            .append(" more: filter on a tag or group by one.</p><div>");
        break;
      }
      int n = window == null ? 0 : window.timestamps().length;
      double[] values = new double[n];
      for (int k = 0; k < n; k++) {
        List<Map<String, Double>> step = new ArrayList<>();
        for (MeterView m : g.meters) {
          Map<String, double[]> series = byTags.get(m.tags());
          if (series != null) {
            Map<String, Double> at = new TreeMap<>();
            for (Map.Entry<String, double[]> s : series.entrySet()) {
              at.put(s.getKey(), s.getValue()[k]);
            }
            step.add(at);
          }
        }
        values[k] = choice.combine(step, 1);
      }
      List<Map<String, Double>> last = new ArrayList<>();
      List<Map<String, Double>> inProgress = new ArrayList<>();
      for (MeterView m : g.meters) {
        last.add(m.lastStep());
        inProgress.add(m.inProgress());
      }
      double stepSeconds = endpoint.registry().stepMillis() / 1000.0;
      String graphQuery = choice.query(name, g.queryTags);
      b.append("<div class=\"graph\" data-series=\"").append(esc(g.key)).append("\"><h3>")
          .append(esc(g.key.isEmpty() ? name : g.key)).append("</h3>");
      svg(b, window == null ? new long[0] : window.timestamps(), values, units);
      b.append("<div>last step: <b class=\"last\">").append(units.format(choice.combine(last, stepSeconds)))
          .append("</b> &middot; so far in this step: <b class=\"now\">")
          .append(units.formatSoFar(choice.combine(inProgress, 0))).append("</b></div>");
      if (groupBy == null) {
        b.append("<div class=\"muted tags\">").append(esc(g.meters.get(0).tags().toString())).append("</div>");
      }
      b.append("<code class=\"q\">").append(esc(graphQuery)).append("</code><button class=\"copy\" data-q=\"")
          .append(esc(graphQuery)).append("\">copy query</button></div>");
    }
    b.append("</div>");
  }

  /** A line of the values over the steps, a dot per value with its time and value as tooltip. */
  private static void svg(StringBuilder b, long[] timestamps, double[] values, Units choice) {
    double lo = 0;
    double hi = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    int n = values.length;
    b.append("<div class=\"axis\"><span>").append(choice.format(hi)).append("</span><span>")
        .append(n).append(n == 1 ? " step" : " steps").append("</span></div>");
    b.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" preserveAspectRatio=\"none\">");
    StringBuilder path = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    boolean pen = false;
    for (int k = 0; k < n; k++) {
      if (Double.isNaN(values[k])) {
        pen = false;
        continue;
      }
      double x = n == 1 ? WIDTH / 2.0 : PAD + k * (WIDTH - 2.0 * PAD) / (n - 1);
      double y = HEIGHT - PAD - (values[k] - lo) / (hi - lo) * (HEIGHT - 2.0 * PAD);
      path.append(pen ? " L" : (path.length() == 0 ? "M" : " M")).append(round(x)).append(' ').append(round(y));
      pen = true;
      dots.append("<circle r=\"2\" cx=\"").append(round(x)).append("\" cy=\"").append(round(y)).append("\"><title>")
          .append(TIME.format(Instant.ofEpochMilli(timestamps[k]))).append(' ').append(choice.format(values[k]))
          .append("</title></circle>");
    }
    if (path.length() > 0) {
      b.append("<path d=\"").append(path).append("\"/>");
    }
    b.append(dots).append("</svg><div class=\"axis\"><span>");
    if (n > 0) {
      b.append(TIME.format(Instant.ofEpochMilli(timestamps[0]))).append("</span><span>")
          .append(choice.format(lo)).append("</span><span>").append(TIME.format(Instant.ofEpochMilli(timestamps[n - 1])));
    } else {
      b.append("no completed step yet");
    }
    b.append("</span></div>");
  }

  private static String round(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String link(Map<String, String> filters, Choice choice, @Nullable String groupBy) {
    StringBuilder q = new StringBuilder("?");
    filters.forEach((k, v) -> q.append("tag=").append(UriUtils.encodeQueryParam(k + ":" + v, StandardCharsets.UTF_8)).append('&'));
    q.append("stat=").append(choice.key);
    if (groupBy != null) {
      q.append("&by=").append(UriUtils.encodeQueryParam(groupBy, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** The {@code keys} of {@code tags}, as {@code k=v, k=v}. */
  private static String label(Map<String, String> tags, List<String> keys) {
    StringBuilder s = new StringBuilder();
    for (String k : keys) {
      s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(tags.getOrDefault(k, "(none)"));
    }
    return s.toString();
  }

  private void problem(StringBuilder b, String name, Lookup lookup) {
    if (lookup instanceof BadTagFilter bad) {
      b.append("<p class=\"err\">").append(esc(bad.message())).append("</p><p>Write filters as ")
          .append(esc(bad.syntax())).append(".</p><p><a href=\"")
          .append(UriUtils.encodePathSegment(name, StandardCharsets.UTF_8)).append("\">all meters named ")
          .append(esc(name)).append("</a></p>");
    } else if (lookup instanceof UnknownName unknown) {
      b.append("<p class=\"err\">").append(esc(unknown.message())).append(".</p><ul class=\"names\">");
      for (String n : unknown.names()) {
        b.append("<li><a href=\"").append(UriUtils.encodePathSegment(n, StandardCharsets.UTF_8)).append("\">")
            .append(esc(n)).append("</a></li>");
      }
      b.append("</ul>");
    } else if (lookup instanceof NoMatchingMeter noMatch) {
      b.append("<p class=\"err\">").append(esc(noMatch.message())).append(".</p><div class=\"bar\">");
      for (AvailableTag t : noMatch.availableTags()) {
        for (String v : t.values()) {
          b.append("<a href=\"?tag=").append(esc(UriUtils.encodeQueryParam(t.tag() + ":" + v, StandardCharsets.UTF_8)))
              .append("\">").append(esc(t.tag() + "=" + v)).append("</a>");
        }
      }
      b.append("</div>");
    }
  }

  private static void settings(StringBuilder b, SpectatorDescriptor d) {
    b.append("<dl class=\"state\"><dt>step</dt><dd>").append(esc(d.step())).append("</dd><dt>publishes to</dt><dd>")
        .append(esc(d.uri().toString())).append(" (").append(esc(d.format())).append(")</dd><dt>common tags</dt><dd>")
        .append(esc(d.commonTags().toString())).append("</dd></dl>");
    publisher(b, d.publisher());
    lwc(b, d.lwc());
  }

  /** The LWC streamer's state and subscriptions; nothing when streaming is off. */
  private static void lwc(StringBuilder b, @Nullable LwcStatus s) {
    if (s == null) {
      return;
    }
    b.append("<h2>Streaming (LWC)</h2><dl class=\"state lwc\"><dt>state</dt><dd>").append(s.running() ? "RUNNING" : "STOPPED")
        .append(" &middot; every ").append(s.stepMillis() / 1000).append(" s</dd><dt>subscriptions from</dt><dd>")
        .append(esc(s.configUri())).append("</dd><dt>last fetch</dt><dd")
        .append(s.lastFetch().startsWith("failed") ? " class=\"err\">" : ">").append(esc(s.lastFetch()));
    if (s.lastFetchTime() > 0) {
      b.append(" at ").append(TIME.format(Instant.ofEpochMilli(s.lastFetchTime()))).append(" UTC");
    }
    b.append("</dd><dt>results to</dt><dd>").append(esc(s.evalUri())).append("</dd><dt>last step</dt><dd>");
    if (s.lastEvalTimestamp() > 0) {
      b.append(TIME.format(Instant.ofEpochMilli(s.lastEvalTimestamp()))).append(" UTC, ").append(s.lastEvalMetrics())
          .append(" values");
    } else {
      b.append("none yet");
    }
    b.append("</dd><dt>sent</dt><dd>").append(s.sent()).append("</dd><dt>dropped</dt><dd>").append(s.dropped())
        .append("</dd><dt>last error</dt><dd").append(s.lastError() == null ? ">none" : " class=\"err\">" + esc(s.lastError()))
        .append("</dd></dl>");
    if (s.subscriptions().isEmpty()) {
      b.append("<p class=\"muted\">No subscription for this application at lwcapi.</p>");
      return;
    }
    b.append("<ul class=\"subs\">");
    for (LwcStatus.Subscribed sub : s.subscriptions()) {
      b.append("<li><code>").append(esc(sub.expression())).append("</code> <span class=\"muted\">every ")
          .append(sub.frequency() / 1000).append(" s, id ").append(esc(sub.id())).append("</span></li>");
    }
    b.append("</ul>");
  }

  private static void publisher(StringBuilder b, @Nullable PublisherStatus p) {
    b.append("<h2>Publisher</h2>");
    if (p == null) {
      b.append("<p class=\"muted\">Publishing is off (spectator.publish.enabled=false).</p>");
      return;
    }
    b.append("<dl class=\"state publisher\"><dt>state</dt><dd>").append(p.state()).append("</dd><dt>last send</dt><dd>")
        .append(p.lastAttempt() == null ? "none yet" : esc(p.lastAttempt().toString()))
        .append("</dd><dt>last success</dt><dd>").append(p.lastSuccess() == null ? "none yet" : esc(p.lastSuccess().toString()))
        .append("</dd><dt>sent</dt><dd>").append(p.sent()).append("</dd><dt>dropped</dt><dd>").append(p.dropped())
        .append("</dd><dt>skipped steps</dt><dd>").append(p.skippedSteps()).append("</dd><dt>last error</dt><dd")
        .append(p.lastError() == null ? ">none" : " class=\"err\">" + esc(p.lastError())).append("</dd></dl>");
  }

  /** The page's head; the body reloads the page just after the step in progress has been polled. */
  private void head(StringBuilder b, String title) {
    long stepMillis = endpoint.registry().stepMillis();
    long now = endpoint.registry().clock().wallTime();
    long reload = stepMillis - Math.floorMod(now, stepMillis) + RELOAD_DELAY_MILLIS;
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body data-reload-ms=\"")
        .append(reload).append("\">");
  }

  private static String tail(StringBuilder b) {
    return b.append("<script>").append(SCRIPT).append("</script></body></html>").toString();
  }

  private static String esc(String s) {
    return HtmlUtils.htmlEscape(s, "UTF-8");
  }

  /** Meters drawn in one graph, and the tags that select them in Atlas. */
  private record Group(String key, Map<String, String> queryTags, List<MeterView> meters) {
    Group(String key, Map<String, String> queryTags) {
      this(key, queryTags, new ArrayList<>());
    }
  }

  /** What a graph shows of its meters, as Atlas computes it for the stack query beside it. */
  enum Choice {
    /** Events per second: the {@code count} statistic (a counter's only one), summed. */
    COUNT("count", "rate per second", ":sum"),
    /** {@code totalTime} (or {@code totalAmount}) over {@code count}: Atlas's {@code :dist-avg}. */
    MEAN("mean", "mean (total / count)", ":dist-avg"),
    /** The largest value: the {@code max} statistic, maximum over the series. */
    MAX("max", "maximum", ":max"),
    /** A gauge's value, summed over the series. */
    VALUE("value", "value", ":sum");

    final String key;
    final String title;
    private final String aggregation;

    Choice(String key, String title, String aggregation) {
      this.key = key;
      this.title = title;
      this.aggregation = aggregation;
    }

    static List<Choice> forType(String type) {
      return switch (type) {
        case "counter" -> List.of(COUNT);
        case "timer", "distributionSummary" -> List.of(COUNT, MEAN, MAX);
        default -> List.of(VALUE);
      };
    }

    static Choice of(String type, @Nullable String key) {
      List<Choice> choices = forType(type);
      for (Choice c : choices) {
        if (c.key.equals(key)) {
          return c;
        }
      }
      return choices.get(0);
    }

    /** The Atlas stack query of the meters named {@code name} with {@code tags}. */
    String query(String name, Map<String, String> tags) {
      StringBuilder q = new StringBuilder(AtlasNames.NAME).append(',').append(name).append(",:eq");
      if (this == COUNT) {
        q.append(',').append(AtlasNames.STATISTIC).append(',').append(COUNT_STAT).append(",:eq,:and");
      } else if (this == MAX) {
        q.append(',').append(AtlasNames.STATISTIC).append(',').append(MAX_STAT).append(",:eq,:and");
      }
      tags.forEach((k, v) -> q.append(',').append(k).append(',').append(v).append(",:eq,:and"));
      return q.append(',').append(aggregation).toString();
    }

    /**
     * Combines the values of the meters of a graph, each a map of statistic to value.
     *
     * @param perSecond seconds to divide the counting statistics by: 1 for rates already, the
     *     step for a step's amounts, 0 to keep amounts
     */
    double combine(List<Map<String, Double>> meters, double perSecond) {
      double sum = Double.NaN;
      double count = Double.NaN;
      double max = Double.NaN;
      for (Map<String, Double> m : meters) {
        for (Map.Entry<String, Double> e : m.entrySet()) {
          double v = e.getValue();
          if (Double.isNaN(v)) {
            continue;
          }
          String stat = e.getKey();
          boolean isCount = COUNT_STAT.equals(stat) || (this == COUNT && !m.containsKey(COUNT_STAT));
          if (isCount) {
            count = Double.isNaN(count) ? v : count + v;
          } else if (MAX_STAT.equals(stat) && this == MAX) {
            max = Double.isNaN(max) ? v : Math.max(max, v);
          } else if (TOTAL_TIME.equals(stat) || TOTAL_AMOUNT.equals(stat) || this == VALUE) {
            sum = Double.isNaN(sum) ? v : sum + v;
          }
        }
      }
      return switch (this) {
        case COUNT -> perSecond > 0 ? count / perSecond : count;
        case MEAN -> count > 0 ? sum / count : Double.NaN;
        case MAX -> max;
        case VALUE -> sum;
      };
    }
  }

  /** How a graph's numbers read: per second for counts, seconds for a timer's mean and max. */
  private record Units(Choice choice, boolean seconds) {

    String format(double v) {
      if (Double.isNaN(v)) {
        return "none";
      }
      return switch (choice) {
        case COUNT -> number(v) + "/s";
        case MEAN, MAX -> seconds ? duration(v) : number(v);
        case VALUE -> number(v);
      };
    }

    /** The step in progress: counts are amounts so far, not rates. */
    String formatSoFar(double v) {
      if (Double.isNaN(v)) {
        return "none";
      }
      return choice == Choice.COUNT ? number(v) : format(v);
    }

    static String number(double v) {
      double a = Math.abs(v);
      if (a >= 1e9) {
        return significant(v / 1e9) + "G";
      } else if (a >= 1e6) {
        return significant(v / 1e6) + "M";
      } else if (a >= 1e4) {
        return significant(v / 1e3) + "k";
      }
      return significant(v);
    }

    static String duration(double seconds) {
      double a = Math.abs(seconds);
      if (a == 0 || a >= 1) {
        return significant(seconds) + " s";
      } else if (a >= 1e-3) {
        return significant(seconds * 1e3) + " ms";
      } else if (a >= 1e-6) {
        return significant(seconds * 1e6) + " \u00b5s";
      }
      return significant(seconds * 1e9) + " ns";
    }

    /** Three significant digits, no trailing zeros. */
    static String significant(double v) {
      if (v == 0) {
        return "0";
      }
      java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros();
      return d.abs().compareTo(java.math.BigDecimal.valueOf(1_000_000)) >= 0 ? d.toString() : d.toPlainString();
    }
  }
}
