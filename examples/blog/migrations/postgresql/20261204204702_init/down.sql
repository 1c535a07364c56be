-- DropForeignKey
ALTER TABLE "Profile" DROP CONSTRAINT "Profile_userId_fkey";

-- DropForeignKey
ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";

-- DropForeignKey
ALTER TABLE "Comment" DROP CONSTRAINT "Comment_postId_fkey";

-- DropForeignKey
ALTER TABLE "Comment" DROP CONSTRAINT "Comment_authorId_fkey";

-- DropForeignKey
ALTER TABLE "Comment" DROP CONSTRAINT "Comment_parentId_fkey";

-- DropForeignKey
ALTER TABLE "_Follows" DROP CONSTRAINT "_Follows_A_fkey";

-- DropForeignKey
ALTER TABLE "_Follows" DROP CONSTRAINT "_Follows_B_fkey";

-- DropForeignKey
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_A_fkey";

-- DropForeignKey
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_B_fkey";

-- DropTable
DROP TABLE "users";

-- DropTable
DROP TABLE "Profile";

-- DropTable
DROP TABLE "Post";

-- DropTable
DROP TABLE "Comment";

-- DropTable
DROP TABLE "Tag";

-- DropTable
DROP TABLE "_Follows";

-- DropTable
DROP TABLE "_PostToTag";

-- DropEnum
DROP TYPE "Role";

-- DropEnum
DROP TYPE "post_status";
