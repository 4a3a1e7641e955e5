"use client";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh", margin: 0 }}>
        <div style={{ textAlign: "center" }}>
          <h1>Switchyard hit an unexpected error</h1>
          <p>{error.digest ? `Reference ${error.digest}. ` : ""}The details are in the server log.</p>
          <button onClick={reset}>Try again</button>
        </div>
      </body>
    </html>
  );
}
