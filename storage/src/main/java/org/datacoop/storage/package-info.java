/** Content-addressed blob storage behind a port, with a local adapter and an HTTP gateway. */
package org.datacoop.storage;
