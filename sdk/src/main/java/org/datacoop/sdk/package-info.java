/** The client library: what a Java application, or the CLI, calls to contribute, claim and query. */
package org.datacoop.sdk;
