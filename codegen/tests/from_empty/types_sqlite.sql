-- CreateTable
CREATE TABLE "big table" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "s" TEXT NOT NULL DEFAULT 'it''s "x"',
    "n" REAL NOT NULL DEFAULT 1.5,
    "d" DECIMAL NOT NULL DEFAULT 2.50,
    "b" BOOLEAN NOT NULL DEFAULT true,
    "k" TEXT NOT NULL DEFAULT 'b''q',
    "j" JSONB NOT NULL DEFAULT '{"a": 1}',
    "dt" DATETIME NOT NULL DEFAULT '2020-01-01 00:00:00 +00:00',
    "u" TEXT NOT NULL,
    "g" TEXT NOT NULL DEFAULT (gen_random_uuid()),
    "by" BLOB NOT NULL DEFAULT X'010203',
    "c" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Comp" (
    "a" INTEGER NOT NULL,
    "b" TEXT NOT NULL,

    PRIMARY KEY ("a", "b")
);

-- CreateTable
CREATE TABLE "Other" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ca" INTEGER,
    "cb" TEXT,
    "selfId" INTEGER,
    CONSTRAINT "Other_ca_cb_fkey" FOREIGN KEY ("ca", "cb") REFERENCES "Comp" ("a", "b") ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT "Other_selfId_fkey" FOREIGN KEY ("selfId") REFERENCES "Other" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "plain_idx" ON "big table"("b");

-- CreateIndex
CREATE UNIQUE INDEX "custom_uniq" ON "big table"("s", "n" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Other_selfId_key" ON "Other"("selfId");

-- CreateIndex
CREATE INDEX "Other_ca_cb_idx" ON "Other"("ca", "cb");
